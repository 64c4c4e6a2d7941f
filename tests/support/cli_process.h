#pragma once
// identitylab-cli run as a user would, for the CLI tests (tests/cli): its exit code and output,
// and the JSON files it writes. The tests define IDENTITYLAB_CLI (tests/CMakeLists.txt).

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace il::test {

struct CliResult {
    int exitCode = -1;  // -1: it crashed or did not finish in time
    QString out, err;
};

// `program`: the full build's identitylab-cli unless a test names another (the headless one).
inline CliResult runCli(const QStringList& arguments, int timeoutMs = 120000, const QString& program = QStringLiteral(IDENTITYLAB_CLI))
{
    QProcess p;
    p.start(program, arguments);
    p.waitForFinished(timeoutMs);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

// The JSON object in `path`; empty when the file is missing or not an object.
inline QJsonObject readJsonObject(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

}  // namespace il::test
