// identitylab-cli export RUN.ilrun --out DIR
// Writes a run saved by the app (.ilrun) as a run folder, the same files `train` writes
// (ui/export/run_export.h), so that a run made in the app can be read from Python.

#include <QCommandLineParser>
#include <QFileInfo>

#include <cstdio>

#include "commands.h"
#include "engine/core/errors.h"
#include "ui/export/run_record_export.h"

namespace il::cli {

int exportCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Writes a run saved by the app (.ilrun) as a run folder: config.json, metrics.json, metrics.jsonl, loss.csv, "
                       "the probes and activations as .npy, checkpoint.pt and the figures."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("run"), QStringLiteral("The saved run (.ilrun)."));
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Output folder (created)."), QStringLiteral("dir"));
    const QCommandLineOption scaleOption(QStringLiteral("scale"), QStringLiteral("Figure resolution factor."), QStringLiteral("n"),
                                         QStringLiteral("2"));
    const QCommandLineOption formatOption(QStringLiteral("format"), QStringLiteral("Figure formats, comma-separated: png, svg, pdf."),
                                          QStringLiteral("list"), QStringLiteral("png"));
    parser.addOptions({outOption, scaleOption, formatOption});
    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "identitylab-cli export: %s\n", qPrintable(parser.errorText()));
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::printf("%s", qPrintable(parser.helpText()));
        return ExitOk;
    }
    if (parser.positionalArguments().size() != 1 || !parser.isSet(outOption)) {
        std::fprintf(stderr, "identitylab-cli export: give one run file and --out DIR\n");
        return ExitUsage;
    }
    const QString runFile = parser.positionalArguments().front();
    try {
        ui::RunFolderOptions options;
        options.scale = std::max(1, parser.value(scaleOption).toInt());
        options.formats = ui::figureFormats(parser.value(formatOption));
        const QStringList files = ui::exportRunFile(runFile, parser.value(outOption), options);
        std::fprintf(stderr, "wrote %lld files to %s\n", static_cast<long long>(files.size()), qPrintable(parser.value(outOption)));
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
