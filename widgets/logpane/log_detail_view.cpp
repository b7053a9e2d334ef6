#include "log_detail_view.h"

#include "json_text.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

enum Tab { PrettyTab, RawTab, DetailTab };

QString kindText(StreamEvent::Kind kind)
{
    switch (kind) {
    case StreamEvent::Kind::Data: return QObject::tr("\u2190 received");
    case StreamEvent::Kind::Sent: return QObject::tr("\u2192 sent");
    case StreamEvent::Kind::Error: return QObject::tr("error");
    case StreamEvent::Kind::Gap: return QObject::tr("reconnect");
    }
    return {};
}

QString cutText(const QByteArray &payload, qsizetype maxBytes)
{
    if (payload.size() <= maxBytes)
        return QString::fromUtf8(payload);
    return QString::fromUtf8(payload.first(maxBytes))
        + QObject::tr("\n\u2026 (cut: showing %1 of %2 bytes)")
              .arg(QLocale().toString(maxBytes), QLocale().toString(payload.size()));
}

} // namespace

LogDetailView::LogDetailView(QWidget *parent)
    : QWidget(parent)
    , m_header(new QLabel(this))
    , m_close(new QToolButton(this))
    , m_tabs(new QTabWidget(this))
    , m_pretty(makeText())
    , m_raw(makeText())
    , m_detail(makeText())
{
    m_header->setTextFormat(Qt::PlainText);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setWordWrap(true);
    m_close->setText(QStringLiteral("\u2715"));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Hide the details"));
    connect(m_close, &QToolButton::clicked, this, &LogDetailView::closeRequested);

    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_pretty, tr("Pretty"));
    m_tabs->addTab(m_raw, tr("Raw"));
    m_tabs->addTab(m_detail, tr("Detail"));

    auto *top = new QHBoxLayout;
    top->addWidget(m_header, 1);
    top->addWidget(m_close, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(top);
    layout->addWidget(m_tabs, 1);
    clear();
}

LogDetailView::~LogDetailView() = default;

QPlainTextEdit *LogDetailView::makeText()
{
    auto *text = new QPlainTextEdit(this);
    text->setReadOnly(true);
    text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return text;
}

std::optional<QString> LogDetailView::prettyJson(const QByteArray &payload, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &parseError);
    if (doc.isNull()) {
        if (error)
            *error = tr("Not valid JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset);
        return std::nullopt;
    }
    return QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
}

QString LogDetailView::hexDump(const QByteArray &bytes, qsizetype maxBytes)
{
    QString out;
    const qsizetype shown = std::min(bytes.size(), maxBytes);
    for (qsizetype offset = 0; offset < shown; offset += 16) {
        const QByteArray line = bytes.mid(offset, std::min<qsizetype>(16, shown - offset));
        out += QStringLiteral("%1  ").arg(offset, 8, 16, QLatin1Char('0'));
        QString hex = QString::fromLatin1(line.toHex(' '));
        out += hex.leftJustified(16 * 3, QLatin1Char(' '));
        out += QLatin1Char(' ');
        for (const char c : line)
            out += (c >= 0x20 && c < 0x7f) ? QLatin1Char(c) : QLatin1Char('.');
        out += QLatin1Char('\n');
    }
    if (bytes.size() > shown)
        out += tr("\u2026 (cut: showing %1 of %2 bytes)").arg(QLocale().toString(shown), QLocale().toString(bytes.size()));
    return out;
}

void LogDetailView::setEvent(const StreamEvent &event)
{
    m_event = event;
    m_hasEvent = true;
    QStringList parts{kindText(event.kind),
                      QDateTime::fromMSecsSinceEpoch(event.receivedMs).toString(Qt::ISODateWithMs), event.source};
    if (!event.type.isEmpty())
        parts << tr("type %1").arg(QString::fromUtf8(event.type));
    if (!event.id.isEmpty())
        parts << tr("id %1").arg(QString::fromUtf8(event.id));
    parts << tr("#%1").arg(event.seq) << tr("%1 bytes").arg(QLocale().toString(event.payload.size()));
    m_header->setText(parts.join(QStringLiteral(" \u00B7 ")));

    const bool binary = event.type == "binary";
    if (binary) {
        m_raw->setPlainText(hexDump(event.payload, MaxHexBytes));
    } else {
        m_raw->setPlainText(cutText(event.payload, MaxShownBytes));
    }

    QString pretty;
    bool prettyUseful = false;
    if (!binary && JsonText::looksLikeJson(event.payload)) {
        QString error;
        if (event.payload.size() > MaxPrettyBytes) {
            pretty = tr("Too large to indent (%1 bytes); see Raw.").arg(QLocale().toString(event.payload.size()));
        } else if (const std::optional<QString> json = prettyJson(event.payload, &error)) {
            pretty = json->size() > MaxShownBytes ? json->left(MaxShownBytes) + tr("\n\u2026 (cut)") : *json;
            prettyUseful = true;
        } else {
            pretty = error + QStringLiteral("\n\n") + cutText(event.payload, MaxShownBytes);
            prettyUseful = true;
        }
    } else {
        pretty = tr("Not JSON; see Raw.");
    }
    m_pretty->setPlainText(pretty);

    const bool hasDetail = !event.detail.isEmpty()
        || event.kind == StreamEvent::Kind::Error || event.kind == StreamEvent::Kind::Gap;
    m_detail->setPlainText(event.detail.isEmpty() ? tr("(no detail)") : event.detail);
    m_tabs->setTabEnabled(PrettyTab, prettyUseful);
    m_tabs->setTabEnabled(DetailTab, hasDetail);
    if (hasDetail)
        m_tabs->setCurrentIndex(DetailTab);
    else if (prettyUseful)
        m_tabs->setCurrentIndex(PrettyTab);
    else
        m_tabs->setCurrentIndex(RawTab);
}

void LogDetailView::clear()
{
    m_hasEvent = false;
    m_event = StreamEvent();
    m_header->setText(tr("Select a row to see it in full"));
    m_pretty->clear();
    m_raw->clear();
    m_detail->clear();
    m_tabs->setTabEnabled(PrettyTab, false);
    m_tabs->setTabEnabled(DetailTab, false);
    m_tabs->setCurrentIndex(RawTab);
}

QString LogDetailView::headerText() const
{
    return m_header->text();
}

QString LogDetailView::prettyText() const
{
    return m_pretty->toPlainText();
}

QString LogDetailView::rawText() const
{
    return m_raw->toPlainText();
}

QString LogDetailView::detailText() const
{
    return m_detail->toPlainText();
}

QString LogDetailView::currentTabName() const
{
    switch (m_tabs->currentIndex()) {
    case PrettyTab: return QStringLiteral("pretty");
    case DetailTab: return QStringLiteral("detail");
    default: return QStringLiteral("raw");
    }
}
