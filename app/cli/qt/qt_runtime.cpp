#include "qt_runtime.h"

#include <QApplication>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <string>

namespace il::cli {

void ensureQtApplication()
{
    if (QCoreApplication::instance()) return;
    if (std::getenv("QT_QPA_PLATFORM") == nullptr) setenv("QT_QPA_PLATFORM", "offscreen", 1);
    // Headless sessions (CI, ssh) often lack XDG_RUNTIME_DIR; Qt would warn on every run.
    if (std::getenv("XDG_RUNTIME_DIR") == nullptr) {
        const std::string runtime = "/tmp/runtime-" + std::to_string(getuid());
        if (mkdir(runtime.c_str(), 0700) == 0 || errno == EEXIST) setenv("XDG_RUNTIME_DIR", runtime.c_str(), 1);
    }
    // QApplication keeps references to argc and argv for its whole life: both static.
    static int argc = 1;
    static char name[] = "identitylab-cli";
    static char* argv[] = {name, nullptr};
    static std::unique_ptr<QApplication> application = std::make_unique<QApplication>(argc, argv);
    QApplication::setApplicationName(QStringLiteral("identitylab-cli"));
    QApplication::setOrganizationName(QStringLiteral("IdentityLab"));
}

}  // namespace il::cli
