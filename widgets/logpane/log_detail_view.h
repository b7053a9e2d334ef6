#pragma once

#include "stream_event.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QToolButton;

/// The selected log row in full, as DevTools and Postman show a message: a header (direction,
/// kind, time, source, type, id, sequence number, size), and tabs
/// - Pretty: JSON payloads indented (QJsonDocument), or why the payload is not valid JSON;
/// - Raw: the payload text as received (binary payloads as a hex dump);
/// - Detail: what an error or reconnect row says (the whole message, with the headers and body
///   excerpt a failed response carries), the first tab for those rows.
/// Payloads above MaxShownBytes are cut there (with a note) so that a 16 MB event cannot freeze the
/// window; pretty-printing is skipped above MaxPrettyBytes. The view keeps its own copy of the
/// event, so it stays readable after the row was evicted from the log.
class LogDetailView : public QWidget
{
    Q_OBJECT
public:
    static constexpr qsizetype MaxShownBytes = 1 << 20;
    static constexpr qsizetype MaxPrettyBytes = 4 << 20;
    static constexpr qsizetype MaxHexBytes = 64 << 10;

    explicit LogDetailView(QWidget *parent = nullptr);
    ~LogDetailView() override;

    void setEvent(const StreamEvent &event);
    void clear();
    bool hasEvent() const { return m_hasEvent; }
    const StreamEvent &event() const { return m_event; }

    QString headerText() const;
    QString prettyText() const;
    QString rawText() const;
    QString detailText() const;
    /// "pretty", "raw" or "detail": the tab shown.
    QString currentTabName() const;

    /// Indented JSON of `payload`, or nullopt with *error set when it is not a JSON document.
    static std::optional<QString> prettyJson(const QByteArray &payload, QString *error = nullptr);
    /// Classic 16-bytes-per-line hex dump with an ASCII column.
    static QString hexDump(const QByteArray &bytes, qsizetype maxBytes);

Q_SIGNALS:
    void closeRequested();

private:
    QPlainTextEdit *makeText();

    QLabel *m_header;
    QToolButton *m_close;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_pretty;
    QPlainTextEdit *m_raw;
    QPlainTextEdit *m_detail;
    StreamEvent m_event;
    bool m_hasEvent = false;
};
