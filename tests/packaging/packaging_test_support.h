#pragma once
// Shared by the packaging tests: running a program with a controlled environment.

#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QString>
#include <QStringList>

namespace il::test {

struct ProcessResult {
    int exitCode = -1;  // -1: did not start, crashed or timed out
    QString out, err;
    QString text() const { return out + err; }
};

inline ProcessResult runProcess(const QString& program, const QStringList& arguments,
                                const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
                                const QString& workingDir = QString(), int timeoutMs = 300000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    if (!workingDir.isEmpty()) p.setWorkingDirectory(workingDir);
    p.start(program, arguments);
    ProcessResult r;
    if (!p.waitForStarted(20000)) {
        r.err = QStringLiteral("could not start %1: %2").arg(program, p.errorString());
        return r;
    }
    const bool finished = p.waitForFinished(timeoutMs);
    if (!finished) p.kill();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    if (finished && p.exitStatus() == QProcess::NormalExit) r.exitCode = p.exitCode();
    if (!finished) r.err += QStringLiteral("\n(timed out after %1 ms)").arg(timeoutMs);
    return r;
}

// The environment of an installed IdentityLab that must not see the source tree: no
// IDENTITYLAB_* variable, no fallback to the source tree or the configured prefix, a private
// home so the GUI's settings and caches stay in `home`, headless Qt.
inline QProcessEnvironment installedEnvironment(const QString& home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& key : env.keys())
        if (key.startsWith(QStringLiteral("IDENTITYLAB_"))) env.remove(key);
    env.insert(QStringLiteral("IDENTITYLAB_RESOURCES_NO_FALLBACK"), QStringLiteral("1"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("OMP_WAIT_POLICY"), QStringLiteral("PASSIVE"));
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/.cache"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
    return env;
}

inline QString tool(const char* name) { return QStandardPaths::findExecutable(QString::fromLatin1(name)); }

}  // namespace il::test
