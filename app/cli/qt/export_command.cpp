// identitylab-cli export RUN.ilrun --out DIR
// Writes a run saved by the app as a run folder, the same one `train` writes.

#include <cstdio>

#include "../arguments.h"
#include "../commands.h"
#include "engine/core/errors.h"
#include "qt_runtime.h"
#include "ui/export/run_record_export.h"

namespace il::cli {

int exportCommand(const ArgumentList& arguments)
{
    Arguments parser("identitylab-cli export RUN.ilrun --out DIR",
                     "Writes a run saved by the app (.ilrun) as a run folder: config.json, metrics.json, metrics.jsonl, loss.csv,\n"
                     "the probes and activations as .npy, checkpoint.pt and the figures.");
    parser.addPositional("run", "The saved run (.ilrun).");
    parser.add("out", "dir", "Output folder (created).");
    parser.add("scale", "n", "Figure resolution factor.", "2");
    parser.add("format", "list", "Figure formats, comma-separated: png, svg, pdf.", "png");
    if (const std::optional<int> answered = parser.parseOrAnswer(arguments)) return *answered;
    if (parser.positionals().size() != 1 || !parser.isSet("out")) {
        std::fprintf(stderr, "identitylab-cli export: give one run file and --out DIR\n");
        return ExitUsage;
    }
    try {
        ui::RunFolderOptions options;
        options.scale = parser.intValue("scale", 1);
        options.formats.clear();
        for (const std::string& format : figureFormats(parser.value("format"))) options.formats << QString::fromStdString(format);
        ensureQtApplication();
        const QString out = QString::fromStdString(parser.value("out"));
        const QStringList files = ui::exportRunFile(QString::fromStdString(parser.positionals().front()), out, options);
        std::fprintf(stderr, "wrote %lld files to %s\n", static_cast<long long>(files.size()), qPrintable(out));
        return ExitOk;
    } catch (const ConfigError& e) {
        std::fprintf(stderr, "identitylab-cli export: %s\n", e.what());
        return ExitUsage;
    } catch (const DataError& e) {
        // Not a run file, or a damaged one: bad input, like a bad config.
        std::fprintf(stderr, "identitylab-cli export: %s\n", e.what());
        return ExitUsage;
    } catch (const Error& e) {
        std::fprintf(stderr, "identitylab-cli export: %s\n", e.what());
        return ExitFailed;
    }
}

}  // namespace il::cli
