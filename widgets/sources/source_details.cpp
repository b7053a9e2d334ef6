#include "source_details.h"

#include "http_headers.h"
#include "redaction.h"
#include "source_list_model.h"
#include "transport.h"

#include <QLabel>
#include <QTextDocument>
#include <QVBoxLayout>

namespace {

QString row(const QString &name, const QString &value, const QString &colour = QString())
{
    const QString shown = colour.isEmpty()
        ? value.toHtmlEscaped()
        : QStringLiteral("<span style=\"color:%1\">%2</span>").arg(colour, value.toHtmlEscaped());
    return QStringLiteral("<tr><td style=\"padding-right:8px; color:#555\">%1</td><td>%2</td></tr>")
        .arg(name.toHtmlEscaped(), shown);
}

} // namespace

SourceDetails::SourceDetails(SourceListModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_label(new QLabel(this))
{
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::RichText);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_label->setContentsMargins(6, 6, 6, 6);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label, 1);

    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &topLeft,
                                                                   const QModelIndex &bottomRight) {
        if (m_row.isValid() && m_row.row() >= topLeft.row() && m_row.row() <= bottomRight.row())
            refresh();
    });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &SourceDetails::refresh);
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
    return document.toPlainText();
}

void SourceDetails::refresh()
{
    const Transport *transport = m_row.isValid() ? m_model->transportAt(m_row.row()) : nullptr;
    if (!transport) {
        m_label->setText(QStringLiteral("<span style=\"color:#777\">%1</span>")
                             .arg(tr("Select a source to see its details: full error text, URL, "
                                     "protocol, headers and counters.")));
        return;
    }
    const int r = m_row.row();
    auto cell = [this, r](int column) { return m_model->index(r, column).data().toString(); };
    const TransportConfig &config = transport->config();
    const QString stateColour = m_model->index(r, SourceListModel::StateColumn)
                                    .data(Qt::ForegroundRole).value<QColor>().name();

    QString html = QStringLiteral("<table cellspacing=\"0\" cellpadding=\"1\">");
    html += row(tr("URL"), redactedUrl(config.url));
    html += row(tr("Transport"), cell(SourceListModel::TransportColumn));
    html += row(tr("State"), cell(SourceListModel::StateColumn), stateColour);
    html += row(tr("Events"), tr("%1 received · %2/s").arg(
                                  m_model->index(r, 0).data(SourceListModel::EventCountRole).toString(),
                                  cell(SourceListModel::RateColumn)));
    html += row(tr("Last event"), cell(SourceListModel::LastEventColumn));
    if (!cell(SourceListModel::RetryColumn).isEmpty())
        html += row(tr("Next retry"), cell(SourceListModel::RetryColumn));
    if (const auto &error = transport->lastError()) {
        QString text = error->message;
        if (error->httpStatus > 0 && !text.contains(QString::number(error->httpStatus)))
            text += QStringLiteral(" (HTTP %1)").arg(error->httpStatus);
        html += row(error->retryable ? tr("Last error") : tr("Failed"),
                    QStringLiteral("%1 — %2").arg(error->kindName(), text), QStringLiteral("#b02020"));
    } else if (!transport->stopReason().isEmpty()) {
        html += row(tr("Stopped"), transport->stopReason());
    }
    if (config.insecureTls)
        html += row(tr("TLS"), tr("verification OFF: the server is not authenticated"), QStringLiteral("#a86400"));
    for (const auto &header : config.headers)
        html += row(tr("Header"), QString::fromUtf8(HttpHeaders::forLog(header.first, header.second)));
    if (config.body)
        html += row(tr("Body"), tr("POST, %n byte(s)", nullptr, int(config.body->size())));
    html += QStringLiteral("</table>");
    m_label->setText(html);
}
