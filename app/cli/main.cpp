// identitylab-cli: the headless side of IdentityLab. Subcommands: train, bench, reproduce, export.
// Figures are drawn with Qt (QPainter, QCustomPlot), so a QApplication exists; without a
// display it runs on Qt's offscreen platform.

#include <QApplication>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "../common/openmp_wait_policy.h"
#include "engine/core/build_info.h"
#include "commands.h"

namespace {

const char* const kUsage =
    "usage: identitylab-cli COMMAND [options]\n"
    "\n"
    "A laboratory for \"Identity Crisis\" (Zhang et al., ICLR 2020): train a network on one image to\n"
    "reproduce it, then see whether it learned the identity, a constant, or something else.\n"
    "\n"
    "commands:\n"
    "  train      train one experiment from a JSON config; write metrics and figures\n"
    "  reproduce  run one of the paper's figures as a preset (--list shows them)\n"
    "  bench      time training steps against the plain PyTorch script\n"
    "  export     write a run saved by the app (.ilrun) as a run folder\n"
    "\n"
    "Run 'identitylab-cli COMMAND --help' for a command's options, 'identitylab-cli --version' for the version.\n";

}  // namespace

int main(int argc, char** argv)
{
    il::app::ensurePassiveOpenMpWaiting(argv);
    // Headless by default: figures need no display.
    if (std::getenv("QT_QPA_PLATFORM") == nullptr) setenv("QT_QPA_PLATFORM", "offscreen", 1);
    // Headless sessions (CI, ssh) often lack XDG_RUNTIME_DIR; Qt would warn on every run.
    if (std::getenv("XDG_RUNTIME_DIR") == nullptr) {
        const std::string runtime = "/tmp/runtime-" + std::to_string(getuid());
        if (mkdir(runtime.c_str(), 0700) == 0 || errno == EEXIST) setenv("XDG_RUNTIME_DIR", runtime.c_str(), 1);
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("identitylab-cli"));
    QApplication::setOrganizationName(QStringLiteral("IdentityLab"));

    QStringList arguments = QApplication::arguments();
    if (arguments.size() < 2 || arguments.at(1) == QLatin1String("--help") || arguments.at(1) == QLatin1String("-h")) {
        std::printf("%s", kUsage);
        return arguments.size() < 2 ? il::cli::ExitUsage : il::cli::ExitOk;
    }
    if (arguments.at(1) == QLatin1String("--version")) {
        std::printf("%s\n", il::versionLine().c_str());
        return il::cli::ExitOk;
    }
    const QString command = arguments.takeAt(1);
    if (command == QLatin1String("train")) return il::cli::trainCommand(arguments);
    if (command == QLatin1String("bench")) return il::cli::benchCommand(arguments);
    if (command == QLatin1String("reproduce")) return il::cli::reproduceCommand(arguments);
    if (command == QLatin1String("export")) return il::cli::exportCommand(arguments);
    std::fprintf(stderr, "identitylab-cli: unknown command \"%s\"\n\n%s", qPrintable(command), kUsage);
    return il::cli::ExitUsage;
}
