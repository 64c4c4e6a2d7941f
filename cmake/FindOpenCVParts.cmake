# OpenCV from Debian's per-module -dev packages (core, imgproc, imgcodecs). Their CMake package
# config ships only with the meta package libopencv-dev, which pulls in every OpenCV module
# (hundreds of MB); the three modules we use are found directly instead.
find_package(OpenCV QUIET COMPONENTS core imgproc imgcodecs)
if(NOT OpenCV_FOUND)
  find_path(OpenCV_INCLUDE_DIRS opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
  set(OpenCV_LIBS "")
  foreach(module core imgproc imgcodecs)
    find_library(OpenCV_${module}_LIBRARY NAMES opencv_${module} REQUIRED)
    list(APPEND OpenCV_LIBS ${OpenCV_${module}_LIBRARY})
  endforeach()
  message(STATUS "OpenCV modules: ${OpenCV_LIBS}")
endif()
