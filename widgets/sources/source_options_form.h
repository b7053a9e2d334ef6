#pragma once

#include "transport_config.h"

#include <QWidget>

class HeaderTable;
class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

/// The per-source settings beyond URL and transport, shared by the add bar's Options and the
/// edit dialog: request headers (with secret marks), a POST body, insecure TLS, the connect
/// timeout, the read-idle timeout, stall detection and WebSocket close codes that end the source.
///
/// setConfig() shows a configuration; applyTo() writes the fields back (false with a sentence for
/// bad input); summary() names what differs from the defaults, for a collapsed Options button.
/// setScheme() enables only what applies: insecure TLS for https/wss, close codes for ws/wss.
class SourceOptionsForm : public QWidget
{
    Q_OBJECT
public:
    explicit SourceOptionsForm(QWidget *parent = nullptr);
    ~SourceOptionsForm() override;

    void setConfig(const TransportConfig &config);
    /// Back to the defaults of TransportConfig.
    void reset();
    /// Writes headers, secretHeaders, body, insecureTls, connectTimeoutMs, idleTimeoutMs,
    /// detectStalls and finalCloseCodes into *config. False with *error for bad input.
    bool applyTo(TransportConfig *config, QString *error) const;
    /// "2 headers (1 secret), body, idle 60 s": what is not at its default; empty when nothing is.
    QString summary() const;
    /// The parts of summary(), one per setting.
    QStringList summaryParts() const;
    /// The scheme the options will be used with ("" when unknown: everything enabled).
    void setScheme(const QString &scheme);

    HeaderTable *headerTable() const { return m_headers; }

    /// "4001, 4403" → {4001, 4403}; codes must be 1000–4999. False with *error otherwise.
    static bool parseCloseCodes(const QString &text, QList<int> *codes, QString *error);

Q_SIGNALS:
    void changed();

private:
    void buildHeaderRows();
    void buildConnectionRows();
    QWidget *timeoutsRow();

    HeaderTable *m_headers;
    QPlainTextEdit *m_body;
    QCheckBox *m_insecure;
    QSpinBox *m_connectTimeout;
    QSpinBox *m_idleTimeout;
    QCheckBox *m_detectStalls;
    QLineEdit *m_closeCodes;
    QLabel *m_closeCodesLabel;
};
