# Regenerates docs/error-codes.md into the build tree and fails if the committed one differs.
execute_process(
  COMMAND ${PYTHON} ${SOURCE}/scripts/gen_codes.py ${SOURCE}/core/codes/codes.json ${OUT}/codes.hpp
          ${OUT}/codes.ts ${OUT}/error-codes.md
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gen_codes.py failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT}/error-codes.md
                        ${SOURCE}/docs/error-codes.md RESULT_VARIABLE diff)
if(NOT diff EQUAL 0)
  message(FATAL_ERROR "docs/error-codes.md is stale: run scripts/gen_codes.py core/codes/codes.json "
                      "/tmp/c.hpp /tmp/c.ts docs/error-codes.md")
endif()
