#include "log_output.h"

#include "text/printable.h"

#include <QLoggingCategory>
#include <QString>

#include <atomic>
#include <cstdio>

namespace {

std::atomic<LogOutput::Mode> s_mode{LogOutput::Mode::Window};
std::atomic<bool> s_userRules{false};

bool shouldPrint(QtMsgType type)
{
    if (type == QtFatalMsg || type == QtCriticalMsg)
        return true;
    if (s_userRules.load())
        return true; // QT_LOGGING_RULES already filtered by category
    switch (s_mode.load()) {
    case LogOutput::Mode::Verbose: return true;
    case LogOutput::Mode::Window: return type == QtWarningMsg;
    case LogOutput::Mode::Headless: return false;
    }
    return false;
}

void handleMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (!shouldPrint(type))
        return;
    QByteArray line = "livedash: ";
    if (context.category && qstrcmp(context.category, "default") != 0) {
        line += context.category;
        line += ": ";
    }
    line += Printable::escaped(message).toUtf8();
    line += '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}

} // namespace

namespace LogOutput {

void install(Mode mode)
{
    s_mode = mode;
    s_userRules = !qEnvironmentVariableIsEmpty("QT_LOGGING_RULES");
    if (!s_userRules) {
        if (mode == Mode::Verbose)
            QLoggingCategory::setFilterRules(QStringLiteral("dash.*=true"));
        else
            QLoggingCategory::setFilterRules(QStringLiteral("dash.*.debug=false\ndash.*.info=false"));
    }
    qInstallMessageHandler(handleMessage);
}

} // namespace LogOutput
