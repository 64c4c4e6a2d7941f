# Compile settings shared by every target of ours, on one INTERFACE target
# (qBittorrent's qbt_common_cfg): warnings are errors on our code only.
# IDENTITYLAB_WERROR=OFF is for other toolchains (a GPU machine's newer GCC and LibTorch), whose
# new warnings should be read, not stop an engine-only build; Debian 12's build keeps it ON.
option(IDENTITYLAB_WERROR "Treat warnings in our own code as errors" ON)
add_library(il_common_cfg INTERFACE)
target_compile_options(il_common_cfg INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wno-error=deprecated-declarations>
  $<$<AND:$<CXX_COMPILER_ID:GNU,Clang>,$<BOOL:${IDENTITYLAB_WERROR}>>:-Werror>
  # clang (the sanitizer and fuzz presets) flags OpenCV's CV_XADD, which uses C11 _Atomic in a
  # header we include with -I; it is OpenCV's, not ours.
  $<$<CXX_COMPILER_ID:Clang>:-Wno-c11-extensions>
  # ... and QTest's QSKIP(message, ...) called with the message alone; only the tests use it.
  $<$<AND:$<CXX_COMPILER_ID:Clang>,$<STREQUAL:$<TARGET_PROPERTY:SOURCE_DIR>,${PROJECT_SOURCE_DIR}/tests>>:-Wno-gnu-zero-variadic-macro-arguments>)
# Strict Qt: no implicit const char* -> QString, no connect() without a context object.
add_library(il_qt_cfg INTERFACE)
target_compile_definitions(il_qt_cfg INTERFACE
  QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_CONTEXTLESS_CONNECT QT_NO_URL_CAST_FROM_STRING)
target_link_libraries(il_qt_cfg INTERFACE il_common_cfg)

# Sanitizers for our own targets: -DIDENTITYLAB_SANITIZE=address,undefined (or thread).
# CMakePresets.json has the two combinations used (asan-ubsan, tsan); docs/reliability.md
# says how to run them. LibTorch, Qt and OpenMP stay uninstrumented (Debian's builds).
set(IDENTITYLAB_SANITIZE "" CACHE STRING "Comma list of sanitizers: address,undefined or thread")
if(IDENTITYLAB_SANITIZE)
  # -fno-sanitize-recover: an UndefinedBehaviorSanitizer report fails the test instead of
  # scrolling past in its output.
  target_compile_options(il_common_cfg INTERFACE
    -fsanitize=${IDENTITYLAB_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(il_common_cfg INTERFACE -fsanitize=${IDENTITYLAB_SANITIZE})
endif()

# libFuzzer targets for the file readers (tests/fuzz/): clang only, off by default.
option(IDENTITYLAB_FUZZ "Build the libFuzzer targets of tests/fuzz (clang only)" OFF)
if(IDENTITYLAB_FUZZ AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "IDENTITYLAB_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++, "
                      "or use the 'fuzz' preset of CMakePresets.json")
endif()
