#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QTableWidget>

/// Request headers as rows of name, value and a "secret" checkbox, the way Postman and
/// Hoppscotch edit them. There is always one empty row at the end to type a new header into.
///
/// - Secret headers are redacted wherever a source is shown or logged and are dropped on a
///   redirect to another origin (TransportConfig::secretHeaders). Names that are always secret
///   (Authorization, Cookie, tokens, API keys: HttpHeaders::isSensitive) show a checked, disabled
///   box. Values of secret rows are masked in the table until edited.
/// - Ctrl+V pastes "Name: value" lines (what curl -H and browser dev tools copy) as rows; Delete
///   removes the selected rows. Tab leaves the table unless a cell is being edited (then it moves
///   to the next cell), so the table never traps the focus.
class HeaderTable : public QTableWidget
{
    Q_OBJECT
public:
    enum Column { NameColumn, ValueColumn, SecretColumn, ColumnCount };

    explicit HeaderTable(QWidget *parent = nullptr);
    ~HeaderTable() override;

    /// Replaces the rows; `secret` names the headers the user marked secret.
    void setHeaders(const QList<QPair<QByteArray, QByteArray>> &headers, const QList<QByteArray> &secret);
    void clearHeaders();
    /// The headers in row order and the names marked secret by the user (case as typed). False
    /// with *error for a row whose name is not an HTTP token or that has a value but no name.
    bool readHeaders(QList<QPair<QByteArray, QByteArray>> *headers, QList<QByteArray> *secret,
                     QString *error) const;
    /// Rows with a name.
    int headerCount() const;
    /// Rows with a name whose value is secret (marked or always secret).
    int secretCount() const;
    /// Appends one row per "Name: value" line; returns how many rows were added.
    int pasteLines(const QString &text);
    /// True when `row` is secret (marked, or a name that always is).
    bool isSecretRow(int row) const;

Q_SIGNALS:
    void headersChanged();

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void appendRow(const QString &name, const QString &value, bool secret);
    void ensureTrailingRow();
    void handleItemChanged(QTableWidgetItem *item);
    void updateSecretItem(int row);
    void removeSelectedRows();
    QString nameAt(int row) const;
    QString valueAt(int row) const;

    bool m_updating = false;
};
