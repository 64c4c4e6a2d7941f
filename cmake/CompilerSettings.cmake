# Compile settings shared by every target of ours, on one INTERFACE target
# (qBittorrent's qbt_common_cfg): warnings are errors on our code only.
add_library(il_common_cfg INTERFACE)
target_compile_options(il_common_cfg INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Werror -Wno-error=deprecated-declarations>)
# Strict Qt: no implicit const char* -> QString, no connect() without a context object.
add_library(il_qt_cfg INTERFACE)
target_compile_definitions(il_qt_cfg INTERFACE
  QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_CONTEXTLESS_CONNECT QT_NO_URL_CAST_FROM_STRING)
target_link_libraries(il_qt_cfg INTERFACE il_common_cfg)

# Sanitizers for our own targets: -DIDENTITYLAB_SANITIZE=address,undefined (or thread).
set(IDENTITYLAB_SANITIZE "" CACHE STRING "Comma list of sanitizers: address,undefined or thread")
if(IDENTITYLAB_SANITIZE)
  target_compile_options(il_common_cfg INTERFACE -fsanitize=${IDENTITYLAB_SANITIZE} -fno-omit-frame-pointer)
  target_link_options(il_common_cfg INTERFACE -fsanitize=${IDENTITYLAB_SANITIZE})
endif()
