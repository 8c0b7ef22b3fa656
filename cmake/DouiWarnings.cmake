# Warnings per target (never global flags), errors when doui is the top-level project.
function(doui_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports -Wrestrict inside libstdc++'s std::string operator+ at -O3: a false
    # positive (GCC bug 105329), not a problem in our code.
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(DOUI_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(DOUI_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

if(DOUI_FUZZ)
  # Coverage instrumentation for everything the fuzz targets reach, not just the targets.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
