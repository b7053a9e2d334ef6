#include "source_options_form.h"

#include "header_table.h"
#include "source_input.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSpinBox>

namespace {

const QColor WarningColour(183, 28, 28);
constexpr int MaxTimeoutSeconds = 24 * 3600;

QString secondsText(int ms)
{
    return QString::number(ms / 1000) + QStringLiteral(" s");
}

} // namespace

SourceOptionsForm::SourceOptionsForm(QWidget *parent)
    : QWidget(parent)
    , m_headers(new HeaderTable(this))
    , m_body(new QPlainTextEdit(this))
    , m_insecure(new QCheckBox(tr("Skip TLS verification (insecure)"), this))
    , m_connectTimeout(new QSpinBox(this))
    , m_idleTimeout(new QSpinBox(this))
    , m_detectStalls(new QCheckBox(tr("Detect stalls (learns the heartbeat)"), this))
    , m_closeCodes(new QLineEdit(this))
    , m_closeCodesLabel(new QLabel(tr("Final close codes"), this))
{
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    buildHeaderRows();
    buildConnectionRows();
    reset();
}

SourceOptionsForm::~SourceOptionsForm() = default;

void SourceOptionsForm::buildHeaderRows()
{
    auto *form = static_cast<QFormLayout *>(layout());
    m_headers->setObjectName(QStringLiteral("headerTable"));
    m_headers->setAccessibleName(tr("Request headers"));
    m_headers->setMinimumHeight(m_headers->verticalHeader()->defaultSectionSize() * 3
                                + m_headers->horizontalHeader()->sizeHint().height() + 4);
    m_headers->setMaximumHeight(m_headers->verticalHeader()->defaultSectionSize() * 5
                                + m_headers->horizontalHeader()->sizeHint().height() + 4);
    m_body->setObjectName(QStringLiteral("bodyEdit"));
    m_body->setPlaceholderText(tr("POST this body instead of GET (empty: GET)"));
    m_body->setTabChangesFocus(true);
    m_body->setFixedHeight(fontMetrics().lineSpacing() * 3 + 10);
    form->addRow(tr("Headers"), m_headers);
    form->addRow(tr("POST body"), m_body);
    connect(m_headers, &HeaderTable::headersChanged, this, &SourceOptionsForm::changed);
    connect(m_body, &QPlainTextEdit::textChanged, this, &SourceOptionsForm::changed);
}

QWidget *SourceOptionsForm::timeoutsRow()
{
    m_connectTimeout->setObjectName(QStringLiteral("connectTimeout"));
    m_connectTimeout->setRange(0, MaxTimeoutSeconds);
    m_connectTimeout->setSuffix(tr(" s"));
    m_connectTimeout->setSpecialValueText(tr("no limit"));
    m_connectTimeout->setToolTip(tr("Connect, TLS and response headers (or the WebSocket handshake) "
                                    "must complete within this time, else the attempt is retried"));
    m_connectTimeout->setAccessibleName(tr("Connect timeout"));
    m_idleTimeout->setObjectName(QStringLiteral("idleTimeout"));
    m_idleTimeout->setRange(0, MaxTimeoutSeconds);
    m_idleTimeout->setSuffix(tr(" s"));
    m_idleTimeout->setSpecialValueText(tr("off"));
    m_idleTimeout->setToolTip(tr("An open connection that receives nothing for this long is dropped "
                                 "and reconnected (SSE resumes with Last-Event-ID)"));
    m_idleTimeout->setAccessibleName(tr("Read-idle timeout"));
    auto *row = new QWidget(this);
    auto *box = new QHBoxLayout(row);
    box->setContentsMargins(0, 0, 0, 0);
    box->addWidget(new QLabel(tr("connect"), row));
    box->addWidget(m_connectTimeout);
    box->addSpacing(8);
    box->addWidget(new QLabel(tr("read idle"), row));
    box->addWidget(m_idleTimeout);
    box->addStretch(1);
    return row;
}

void SourceOptionsForm::buildConnectionRows()
{
    auto *form = static_cast<QFormLayout *>(layout());
    m_insecure->setObjectName(QStringLiteral("insecureTls"));
    QPalette warning = m_insecure->palette();
    warning.setColor(QPalette::WindowText, WarningColour);
    warning.setColor(QPalette::ButtonText, WarningColour);
    m_insecure->setPalette(warning);
    m_insecure->setToolTip(tr("The server's certificate is not checked: anyone on the path can "
                              "read and change the stream (https:// and wss:// only)"));
    m_detectStalls->setObjectName(QStringLiteral("detectStalls"));
    m_detectStalls->setToolTip(tr("Show the source as stalled when it has been silent for several of "
                                  "its usual intervals (SSE comments, events, WebSocket pongs)"));
    m_closeCodes->setObjectName(QStringLiteral("closeCodes"));
    m_closeCodes->setPlaceholderText(tr("e.g. 4001, 4403"));
    m_closeCodes->setToolTip(tr("WebSocket close codes after which the source stops instead of "
                                "reconnecting (4000\u20134099 always do)"));
    m_closeCodesLabel->setBuddy(m_closeCodes);
    form->addRow(QString(), m_insecure);
    form->addRow(tr("Timeouts"), timeoutsRow());
    form->addRow(QString(), m_detectStalls);
    form->addRow(m_closeCodesLabel, m_closeCodes);
    connect(m_insecure, &QCheckBox::toggled, this, &SourceOptionsForm::changed);
    connect(m_detectStalls, &QCheckBox::toggled, this, &SourceOptionsForm::changed);
    connect(m_connectTimeout, &QSpinBox::valueChanged, this, &SourceOptionsForm::changed);
    connect(m_idleTimeout, &QSpinBox::valueChanged, this, &SourceOptionsForm::changed);
    connect(m_closeCodes, &QLineEdit::textChanged, this, &SourceOptionsForm::changed);
}

void SourceOptionsForm::setConfig(const TransportConfig &config)
{
    m_headers->setHeaders(config.headers, config.secretHeaders);
    m_body->setPlainText(config.body ? QString::fromUtf8(*config.body) : QString());
    m_insecure->setChecked(config.insecureTls);
    m_connectTimeout->setValue((config.connectTimeoutMs + 999) / 1000);
    m_idleTimeout->setValue((config.idleTimeoutMs + 999) / 1000);
    m_detectStalls->setChecked(config.detectStalls);
    QStringList codes;
    for (const int code : config.finalCloseCodes)
        codes.append(QString::number(code));
    m_closeCodes->setText(codes.join(QStringLiteral(", ")));
}

void SourceOptionsForm::reset()
{
    setConfig(TransportConfig());
}

bool SourceOptionsForm::parseCloseCodes(const QString &text, QList<int> *codes, QString *error)
{
    QList<int> out;
    static const QRegularExpression Separators(QStringLiteral("[,;\\s]+"));
    const QStringList parts = text.split(Separators, Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        bool ok = false;
        const int code = part.toInt(&ok);
        if (!ok || code < 1000 || code > 4999) {
            *error = tr("Close code \"%1\" is not a number from 1000 to 4999").arg(part);
            return false;
        }
        if (!out.contains(code))
            out.append(code);
    }
    *codes = out;
    return true;
}

bool SourceOptionsForm::applyTo(TransportConfig *config, QString *error) const
{
    TransportConfig out = *config;
    if (!m_headers->readHeaders(&out.headers, &out.secretHeaders, error))
        return false;
    if (!parseCloseCodes(m_closeCodes->text(), &out.finalCloseCodes, error))
        return false;
    const QString body = m_body->toPlainText();
    out.body = body.isEmpty() ? std::nullopt : std::optional<QByteArray>(body.toUtf8());
    out.insecureTls = m_insecure->isChecked();
    out.connectTimeoutMs = m_connectTimeout->value() * 1000;
    out.idleTimeoutMs = m_idleTimeout->value() * 1000;
    out.detectStalls = m_detectStalls->isChecked();
    *config = out;
    return true;
}

QString SourceOptionsForm::summary() const
{
    return summaryParts().join(QStringLiteral(", "));
}

QStringList SourceOptionsForm::summaryParts() const
{
    QStringList parts;
    const int headers = m_headers->headerCount();
    if (headers > 0) {
        QString text = headers == 1 ? tr("1 header") : tr("%1 headers").arg(headers);
        const int secret = m_headers->secretCount();
        if (secret > 0)
            text += QLatin1Char(' ') + tr("(%1 secret)").arg(secret);
        parts.append(text);
    }
    if (!m_body->toPlainText().isEmpty())
        parts.append(tr("body"));
    if (m_insecure->isChecked())
        parts.append(tr("insecure TLS"));
    const TransportConfig defaults;
    if (m_connectTimeout->value() * 1000 != defaults.connectTimeoutMs)
        parts.append(m_connectTimeout->value() == 0 ? tr("no connect limit")
                                                    : tr("connect %1").arg(secondsText(m_connectTimeout->value() * 1000)));
    if (m_idleTimeout->value() > 0)
        parts.append(tr("idle %1").arg(secondsText(m_idleTimeout->value() * 1000)));
    if (!m_detectStalls->isChecked())
        parts.append(tr("no stall detection"));
    if (!m_closeCodes->text().trimmed().isEmpty())
        parts.append(tr("close codes %1").arg(m_closeCodes->text().trimmed()));
    return parts;
}

void SourceOptionsForm::setScheme(const QString &scheme)
{
    const bool known = !scheme.isEmpty();
    const bool tls = !known || SourceInput::isTlsScheme(scheme);
    const bool ws = !known || SourceInput::isWebSocketScheme(scheme);
    // Off where it does nothing (plain http/ws), unless it is checked: then it can still be unchecked.
    m_insecure->setEnabled(tls || m_insecure->isChecked());
    m_closeCodes->setEnabled(ws);
    m_closeCodesLabel->setEnabled(ws);
}
