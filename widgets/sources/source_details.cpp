#include "source_details.h"

#include "http_headers.h"
#include "redaction.h"
#include "source_list_model.h"
#include "source_name.h"
#include "source_notices.h"
#include "transport.h"
#include "text/printable.h"

#include <QDateTime>
#include <QLabel>
#include <QScrollArea>
#include <QTextDocument>
#include <QVBoxLayout>

namespace {

constexpr int BodyPreviewChars = 120;

QString row(const QString &name, const QString &value, const QString &colour = QString())
{
    const QString shown = colour.isEmpty()
        ? value.toHtmlEscaped()
        : QStringLiteral("<span style=\"color:%1\">%2</span>").arg(colour, value.toHtmlEscaped());
    return QStringLiteral("<tr><td style=\"padding-right:8px; color:#555\">%1</td><td>%2</td></tr>")
        .arg(name.toHtmlEscaped(), shown);
}

QString durationText(qint64 ms)
{
    ms = std::max<qint64>(0, ms);
    if (ms < 10'000)
        return SourceDetails::tr("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
    if (ms < 120'000)
        return SourceDetails::tr("%1 s").arg(qRound64(double(ms) / 1000.0));
    if (ms < 7'200'000)
        return SourceDetails::tr("%1 min").arg(qRound64(double(ms) / 60'000.0));
    return SourceDetails::tr("%1 h").arg(qRound64(double(ms) / 3'600'000.0));
}

QString timeoutText(int ms, const QString &zero)
{
    return ms <= 0 ? zero : durationText(ms);
}

QString countsText(const SourceStats &stats)
{
    const QLocale locale;
    return SourceDetails::tr("%1 received \u00B7 %2 sent \u00B7 %3 errors \u00B7 %4 reconnects")
        .arg(locale.toString(stats.received), locale.toString(stats.sent), locale.toString(stats.errors),
             locale.toString(stats.reconnects));
}

/// The refused response as it came: its headers and the start of its body (peer text, escaped).
QString responseRows(const TransportError &error)
{
    QString html;
    for (const auto &header : error.responseHeaders)
        html += row(SourceDetails::tr("Response header"),
                    Printable::fromWire(header.first) + QStringLiteral(": ") + Printable::fromWire(header.second));
    if (!error.responseBody.isEmpty()) {
        QString body = Printable::fromWire(error.responseBody);
        if (body.size() > 600)
            body = body.left(600) + QChar(0x2026);
        html += row(SourceDetails::tr("Response body"), body);
    }
    return html;
}

QString livenessRows(const Transport &transport, const TransportConfig &config)
{
    const Liveness liveness = transport.liveness();
    QString html;
    QString heartbeat;
    if (!config.detectStalls)
        heartbeat = SourceDetails::tr("stall detection off");
    else if (liveness.usualIntervalMs > 0)
        heartbeat = SourceDetails::tr("usually every %1").arg(durationText(liveness.usualIntervalMs));
    else if (transport.state() == Transport::State::Open)
        heartbeat = SourceDetails::tr("learning\u2026");
    else
        heartbeat = SourceDetails::tr("not learned yet");
    html += row(SourceDetails::tr("Heartbeat"), heartbeat);
    return html;
}

QString requestRows(const TransportConfig &config)
{
    QString html;
    html += row(SourceDetails::tr("Timeouts"),
                SourceDetails::tr("connect %1 \u00B7 read idle %2")
                    .arg(timeoutText(config.connectTimeoutMs, SourceDetails::tr("no limit")),
                         timeoutText(config.idleTimeoutMs, SourceDetails::tr("off"))));
    if (!config.finalCloseCodes.isEmpty()) {
        QStringList codes;
        for (const int code : config.finalCloseCodes)
            codes.append(QString::number(code));
        html += row(SourceDetails::tr("Final close codes"), codes.join(QStringLiteral(", ")));
    }
    if (SourceListModel::hasTlsWarning(config))
        html += row(SourceDetails::tr("TLS"), SourceDetails::tr("verification OFF: the server is not authenticated"),
                    QStringLiteral("#a86400"));
    for (const auto &header : config.headers) {
        const bool secret = HttpHeaders::isSecret(header.first, config.secretHeaders);
        const QString text = QString::fromUtf8(header.first) + QStringLiteral(": ")
            + (secret ? QStringLiteral("<redacted>") : QString::fromUtf8(header.second));
        html += row(SourceDetails::tr("Header"), text);
    }
    if (config.body) {
        QString preview = QString::fromUtf8(*config.body).simplified();
        if (preview.size() > BodyPreviewChars)
            preview = preview.left(BodyPreviewChars - 1) + QChar(0x2026);
        html += row(SourceDetails::tr("Body"), (config.body->size() == 1 ? SourceDetails::tr("POST, 1 byte: ")
                                                                              : SourceDetails::tr("POST, %1 bytes: ").arg(config.body->size()))
                                                   + preview);
    }
    return html;
}

} // namespace

SourceDetails::SourceDetails(SourceListModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_scroll(new QScrollArea(this))
    , m_label(new QLabel(m_scroll))
    , m_live(new QLabel(this))
    , m_notices(new SourceNotices(model, this))
{
    m_live->setTextFormat(Qt::PlainText);
    m_live->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_live->setContentsMargins(6, 4, 6, 0);
    m_live->setFixedHeight(fontMetrics().lineSpacing() * 2 + 6);
    m_live->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_live->setMinimumWidth(0);
    m_live->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::RichText);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_label->setFocusPolicy(Qt::ClickFocus); // selectable, but not a Tab stop between table and send bar
    m_label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_label->setContentsMargins(6, 6, 6, 6);
    m_scroll->setWidget(m_label);
    m_scroll->setWidgetResizable(true);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // the text wraps
    m_scroll->setFocusPolicy(Qt::NoFocus);
    m_scroll->setMinimumHeight(fontMetrics().lineSpacing()); // the live label above keeps two lines
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_live);
    layout->addWidget(m_scroll, 1);

    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &topLeft,
                                                                   const QModelIndex &bottomRight) {
        if (m_row.isValid() && m_row.row() >= topLeft.row() && m_row.row() <= bottomRight.row())
            refresh();
    });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &SourceDetails::refresh);
    connect(m_notices, &SourceNotices::changed, this, [this](const Transport *transport) {
        if (m_row.isValid() && m_model->transportAt(m_row.row()) == transport)
            refresh();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { setRow(-1); });
    refresh();
}

SourceDetails::~SourceDetails() = default;

void SourceDetails::setRow(int row)
{
    m_row = row >= 0 && row < m_model->rowCount() ? QPersistentModelIndex(m_model->index(row, 0))
                                                  : QPersistentModelIndex();
    refresh();
}

QString SourceDetails::plainText() const
{
    QTextDocument document;
    document.setHtml(m_label->text());
    return m_live->text().isEmpty() ? document.toPlainText()
                                    : m_live->text() + QLatin1Char('\n') + document.toPlainText();
}

QString SourceDetails::detailsHtml(int r) const
{
    const Transport *transport = m_model->transportAt(r);
    const TransportConfig &config = transport->config();
    const QString stateColour = m_model->index(r, SourceListModel::StateColumn)
                                    .data(Qt::ForegroundRole).value<QColor>().name();
    const SourceStats stats = m_model->statsAt(r);

    QString html = QStringLiteral("<table cellspacing=\"0\" cellpadding=\"1\">");
    if (transport->sourceId() != redactedUrl(config.url))
        html += row(tr("Name"), transport->sourceId());
    html += row(tr("URL"), redactedUrl(config.url));
    QString transportText = m_model->effectiveTransportAt(r);
    if (m_model->transportIdAt(r) == QLatin1String("http"))
        transportText += transportText == QLatin1String("auto") ? tr(" (the response's Content-Type decides)")
                                                                : tr(" (auto-detected from the Content-Type)");
    if (!transport->protocolInfo().isEmpty())
        transportText += QStringLiteral(" \u00B7 ") + transport->protocolInfo();
    html += row(tr("Transport"), transportText);
    QString state = Transport::stateName(transport->state());
    if (transport->state() == Transport::State::Closed && transport->hasFailed())
        state = tr("failed");
    if (!m_model->index(r, 0).data(SourceListModel::StallTextRole).toString().isEmpty())
        state = tr("stalled");
    html += row(tr("State"), state, stateColour);
    if (m_model->isPaused(r))
        html += row(tr("Paused"), tr("%1 events held, %2 discarded (at most %3 are held)")
                                      .arg(stats.held).arg(stats.dropped).arg(SourceListModel::MaxHeldEvents),
                    SourceListModel::pausedColor().name());
    html += livenessRows(*transport, config);
    if (const auto &error = transport->lastError()) {
        QString text = error->message;
        if (error->httpStatus > 0 && !text.contains(QString::number(error->httpStatus)))
            text += QStringLiteral(" (HTTP %1)").arg(error->httpStatus);
        html += row(error->retryable ? tr("Last error") : tr("Failed"),
                    QStringLiteral("%1 — %2").arg(error->kindName(), text), QStringLiteral("#b02020"));
        html += responseRows(*error);
    } else if (!transport->stopReason().isEmpty()) {
        html += row(tr("Stopped"), transport->stopReason());
    }
    m_notices->watch(m_model->transportAt(r));
    const QList<SourceNotices::Notice> notices = m_notices->notices(transport);
    for (qsizetype i = 0; i < notices.size(); ++i)
        html += row(i == 0 ? tr("Streams") : QString(),
                    notices.at(i).at.toString(QStringLiteral("HH:mm:ss ")) + notices.at(i).text,
                    i == 0 ? QString() : QStringLiteral("#666"));
    html += requestRows(config);
    html += QStringLiteral("</table>");
    return html;
}

QString SourceDetails::liveText(int r) const
{
    const Transport *transport = m_model->transportAt(r);
    auto cell = [this, r](int column) { return m_model->index(r, column).data().toString(); };
    const Liveness liveness = transport->liveness();
    QStringList lines;
    lines.append(tr("Events: %1").arg(countsText(m_model->statsAt(r))));
    QString timing = tr("Rate: %1 events/s \u00B7 Last event: %2 \u00B7 Last activity: %3")
                         .arg(cell(SourceListModel::RateColumn), cell(SourceListModel::LastEventColumn),
                              liveness.lastActivityMs > 0
                                  ? tr("%1 ago").arg(durationText(QDateTime::currentMSecsSinceEpoch()
                                                                  - liveness.lastActivityMs))
                                  : tr("none yet"));
    lines.append(timing);
    const QString stall = m_model->index(r, 0).data(SourceListModel::StallTextRole).toString();
    if (!stall.isEmpty())
        lines.first() = stall + QStringLiteral(" \u00B7 ") + lines.first();
    else if (!cell(SourceListModel::RetryColumn).isEmpty())
        lines.first() = tr("Next retry: %1").arg(cell(SourceListModel::RetryColumn)) + QStringLiteral(" \u00B7 ")
                        + lines.first();
    return lines.join(QLatin1Char('\n'));
}

void SourceDetails::refresh()
{
    // Two labels: the counters and clocks change with every tick of the model (4 Hz) and live
    // in a small plain-text label of fixed height; the rich-text table is laid out again only
    // when its content changes (a rich-text relayout costs ~10 ms, too much 4 times a second).
    const Transport *transport = m_row.isValid() ? m_model->transportAt(m_row.row()) : nullptr;
    const QString html = transport
        ? detailsHtml(m_row.row())
        : QStringLiteral("<span style=\"color:#777\">%1</span>")
              .arg(tr("Select a source to see its details: full error text, URL, "
                      "liveness, counters and headers."));
    const QString live = transport ? liveText(m_row.row()) : QString();
    if (m_label->text() != html)
        m_label->setText(html);
    if (m_live->text() != live)
        m_live->setText(live);
    m_live->setVisible(transport != nullptr);
}
