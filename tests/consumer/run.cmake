# The installed package, tested as a server would use it: `cmake --install` into a fresh prefix,
# tests/consumer configured and built against that prefix alone, then run on a fixture record
# (its exact verdict) and on the same record tampered with (refused, with the exact code).
#   cmake -DBUILD_DIR=build/native -DSOURCE=. -DWORK=DIR -DGENERATOR=Ninja -DCXX=c++ -DLIBDIR=lib
#         -P run.cmake
foreach(var BUILD_DIR SOURCE WORK GENERATOR CXX LIBDIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run.cmake needs -D${var}=")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(JOIN " " cmd ${ARGN})
    message(FATAL_ERROR "failed (${rc}): ${cmd}")
  endif()
endfunction()

set(prefix "${WORK}/prefix")
file(REMOVE_RECURSE "${WORK}")
run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")
foreach(f include/doui/verify.hpp include/doui/codes.hpp ${LIBDIR}/cmake/doui/doui-config.cmake
          ${LIBDIR}/cmake/doui/doui-config-version.cmake ${LIBDIR}/cmake/doui/doui-targets.cmake)
  if(NOT EXISTS "${prefix}/${f}")
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
# Nothing for tests, benchmarks or fuzzing in the package.
file(GLOB_RECURSE installed RELATIVE "${prefix}" "${prefix}/*")
foreach(f IN LISTS installed)
  if(f MATCHES "gtest|gmock|benchmark|fuzz|test")
    message(FATAL_ERROR "installed, but not part of the package: ${f}")
  endif()
endforeach()

# The consumer sees the prefix and nothing else of doui's (no package registry, no build tree).
run(${CMAKE_COMMAND} -S "${SOURCE}/tests/consumer" -B "${WORK}/build" -G "${GENERATOR}"
    -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_COMPILER=${CXX}" "-DCMAKE_PREFIX_PATH=${prefix}"
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
file(STRINGS "${WORK}/build/CMakeCache.txt" found REGEX "^doui_DIR:")
if(NOT found STREQUAL "doui_DIR:PATH=${prefix}/${LIBDIR}/cmake/doui")
  message(FATAL_ERROR "found another doui package: ${found}")
endif()
run(${CMAKE_COMMAND} --build "${WORK}/build")

# verify_record's verdict line, exactly, and the exit status.
function(expect name record status line)
  file(WRITE "${WORK}/${name}.json" "${record}\n")
  execute_process(COMMAND "${WORK}/build/doui_consumer" --now 2030-01-01T00:00:00Z
                          "${WORK}/${name}.json"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL status OR NOT out STREQUAL "${line}\n")
    message(FATAL_ERROR "${name}: exit ${rc} (expected ${status})\n got: ${out}${err}\n"
                        " expected: ${line}")
  endif()
  message(STATUS "${name}: ${out}")
endfunction()

# A record as `doui consent` writes it (the verify fuzz target's corpus).
file(READ "${SOURCE}/tests/fuzz/corpus/verify/adult.json" record)
string(STRIP "${record}" record)
string(JSON id GET "${record}" record_id)
string(JSON digest GET "${record}" digest)
expect(valid "${record}" 0
  "{\"digest\":\"${digest}\",\"errors\":[],\"id\":\"${id}\",\"reconsent_required\":false,\"valid\":true}")

# The same record with one stated fact changed (the subject, in its bytes as written): refused,
# its digest no longer that of what it states.
string(REPLACE "\"subject\":\"u-1\"" "\"subject\":\"u-2\"" tampered "${record}")
if(tampered STREQUAL record)
  message(FATAL_ERROR "adult.json no longer has \"subject\":\"u-1\"")
endif()
expect(tampered "${tampered}" 1
  "{\"digest\":\"e154bfe0c0042d9fa04890c0e1bd4a86a587baa4bd7a5d812a92fa2f13a4f8f1\",\"errors\":[{\"code\":\"record.digest_mismatch\",\"path\":\"/digest\"}],\"id\":\"${id}\",\"reconsent_required\":false,\"valid\":false}")
