# Debian ships QCustomPlot built twice; we need the Qt 6 build (libqcustomplot-qt6.so).
find_path(QCUSTOMPLOT_INCLUDE_DIR qcustomplot.h REQUIRED)
find_library(QCUSTOMPLOT_LIBRARY NAMES qcustomplot-qt6 REQUIRED)
add_library(QCustomPlot::QCustomPlot UNKNOWN IMPORTED)
set_target_properties(QCustomPlot::QCustomPlot PROPERTIES
  IMPORTED_LOCATION "${QCUSTOMPLOT_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${QCUSTOMPLOT_INCLUDE_DIR}"
  INTERFACE_COMPILE_DEFINITIONS QCUSTOMPLOT_USE_LIBRARY)
