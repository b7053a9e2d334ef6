#include "render_terminal.h"

#include "asciicast_reader.h"
#include "terminal_screen.h"

#include <QFile>
#include <QFileInfo>

#include <cstdio>
#include <memory>

namespace {

constexpr int DefaultColumns = 80;
constexpr int DefaultRows = 24;
constexpr qint64 ChunkBytes = 1 << 20;

/// Feeds events into the screen, creating it once the reader knows the format (and header).
class Renderer
{
public:
    Renderer(int columns, int rows) : m_columns(columns), m_rows(rows) {}

    void consume(const AsciicastReader &reader, QList<AsciicastEvent> &events)
    {
        if (events.isEmpty())
            return;
        ensureScreen(reader);
        for (const AsciicastEvent &event : std::as_const(events)) {
            switch (event.type) {
            case AsciicastEvent::Type::Output:
                m_screen->feed(event.data);
                break;
            case AsciicastEvent::Type::Resize:
                m_screen->resize(event.columns, event.rows);
                break;
            case AsciicastEvent::Type::Input:
            case AsciicastEvent::Type::Marker:
                break;
            }
        }
        events.clear();
    }

    void ensureScreen(const AsciicastReader &reader)
    {
        if (m_screen)
            return;
        int columns = m_columns;
        int rows = m_rows;
        if (columns <= 0 || rows <= 0) {
            columns = reader.header() ? reader.header()->width : DefaultColumns;
            rows = reader.header() ? reader.header()->height : DefaultRows;
        }
        m_screen = std::make_unique<TerminalScreen>(columns, rows);
    }

    TerminalScreen *screen() const { return m_screen.get(); }

private:
    int m_columns;
    int m_rows;
    std::unique_ptr<TerminalScreen> m_screen;
};

} // namespace

TerminalRender renderTerminalFile(const QString &path, int columns, int rows)
{
    TerminalRender result;
    const QString name = QFileInfo(path).fileName();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return result;
    }
    AsciicastReader reader;
    Renderer renderer(columns, rows);
    QList<AsciicastEvent> events;
    while (!file.atEnd() && !reader.hasFailed()) {
        const QByteArray chunk = file.read(ChunkBytes);
        if (chunk.isEmpty())
            break;
        reader.feed(chunk, events);
        renderer.consume(reader, events);
    }
    if (file.error() != QFileDevice::NoError) {
        result.error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return result;
    }
    reader.finish(events);
    if (reader.hasFailed()) {
        result.error = QStringLiteral("%1: %2").arg(name, reader.issues().value(0).message);
        return result;
    }
    renderer.consume(reader, events);
    renderer.ensureScreen(reader);
    for (const AsciicastIssue &issue : reader.issues())
        result.warnings.append(QStringLiteral("%1: %2").arg(name, issue.message));
    if (reader.issueCount() > reader.issues().size())
        result.warnings.append(QStringLiteral("%1: %2 more problems not shown")
                                   .arg(name).arg(reader.issueCount() - reader.issues().size()));
    result.ok = true;
    result.screenText = renderer.screen()->screenText();
    result.columns = renderer.screen()->columns();
    result.rows = renderer.screen()->rows();
    return result;
}

int runRenderTerminal(const QString &path, int columns, int rows)
{
    const TerminalRender render = renderTerminalFile(path, columns, rows);
    if (!render.ok) {
        std::fprintf(stderr, "livedash: %s\n", qPrintable(render.error));
        return 1;
    }
    for (const QString &warning : render.warnings)
        std::fprintf(stderr, "livedash: warning: %s\n", qPrintable(warning));
    const QByteArray text = render.screenText.toUtf8() + '\n';
    std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
    std::fflush(stdout);
    return 0;
}
