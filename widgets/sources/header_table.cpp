#include "header_table.h"

#include "http_headers.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QKeyEvent>
#include <QStyledItemDelegate>

#include <algorithm>

namespace {

/// RFC 9110 token characters.
bool isToken(const QString &name)
{
    static const QString Extra = QStringLiteral("!#$%&'*+-.^_`|~");
    return !name.isEmpty() && std::all_of(name.cbegin(), name.cend(), [](QChar c) {
        return (c.unicode() < 128 && c.isLetterOrNumber()) || Extra.contains(c);
    });
}

bool isAlwaysSecret(const QString &name)
{
    return !name.isEmpty() && HttpHeaders::isSensitive(name.toLatin1());
}

/// Shows the values of secret rows as bullets; the editor shows the real value.
class MaskingDelegate : public QStyledItemDelegate
{
public:
    explicit MaskingDelegate(HeaderTable *table)
        : QStyledItemDelegate(table)
        , m_table(table)
    {
    }

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.column() == HeaderTable::ValueColumn && m_table->isSecretRow(index.row())
            && !option->text.isEmpty())
            option->text = QString(std::min<qsizetype>(option->text.size(), 12), QChar(0x2022));
    }

private:
    HeaderTable *m_table;
};

} // namespace

HeaderTable::HeaderTable(QWidget *parent)
    : QTableWidget(0, ColumnCount, parent)
{
    setHorizontalHeaderLabels({tr("Header"), tr("Value"), tr("Secret")});
    horizontalHeader()->setSectionResizeMode(NameColumn, QHeaderView::Interactive);
    horizontalHeader()->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    horizontalHeader()->setSectionResizeMode(SecretColumn, QHeaderView::ResizeToContents);
    horizontalHeader()->resizeSection(NameColumn, fontMetrics().horizontalAdvance(QStringLiteral("Authorization_")));
    verticalHeader()->hide();
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    setTabKeyNavigation(false);
    setWordWrap(false);
    setShowGrid(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::SelectedClicked
                    | QAbstractItemView::EditKeyPressed | QAbstractItemView::AnyKeyPressed);
    setItemDelegateForColumn(ValueColumn, new MaskingDelegate(this));
    setToolTip(tr("Request headers. Ctrl+V pastes \"Name: value\" lines; Delete removes rows. "
                  "Secret values are redacted everywhere and never follow a redirect to another host."));
    connect(this, &QTableWidget::itemChanged, this, &HeaderTable::handleItemChanged);
    ensureTrailingRow();
}

HeaderTable::~HeaderTable() = default;

QString HeaderTable::nameAt(int row) const
{
    const QTableWidgetItem *it = item(row, NameColumn);
    return it ? it->text().trimmed() : QString();
}

QString HeaderTable::valueAt(int row) const
{
    const QTableWidgetItem *it = item(row, ValueColumn);
    return it ? it->text().trimmed() : QString();
}

bool HeaderTable::isSecretRow(int row) const
{
    if (isAlwaysSecret(nameAt(row)))
        return true;
    const QTableWidgetItem *it = item(row, SecretColumn);
    return it && it->checkState() == Qt::Checked;
}

void HeaderTable::appendRow(const QString &name, const QString &value, bool secret)
{
    const bool wasUpdating = std::exchange(m_updating, true);
    const int row = rowCount();
    insertRow(row);
    setItem(row, NameColumn, new QTableWidgetItem(name));
    setItem(row, ValueColumn, new QTableWidgetItem(value));
    auto *secretItem = new QTableWidgetItem(tr("secret"));
    secretItem->setCheckState(secret ? Qt::Checked : Qt::Unchecked);
    secretItem->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
    setItem(row, SecretColumn, secretItem);
    updateSecretItem(row);
    m_updating = wasUpdating;
}

void HeaderTable::updateSecretItem(int row)
{
    QTableWidgetItem *secretItem = item(row, SecretColumn);
    if (!secretItem)
        return;
    const bool wasUpdating = std::exchange(m_updating, true);
    if (isAlwaysSecret(nameAt(row))) {
        secretItem->setCheckState(Qt::Checked);
        secretItem->setFlags(Qt::ItemIsSelectable); // shown checked and disabled
        secretItem->setToolTip(tr("%1 is always treated as secret").arg(nameAt(row)));
    } else {
        secretItem->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        secretItem->setToolTip(tr("Redact this value everywhere and drop it on a redirect to another host"));
    }
    m_updating = wasUpdating;
}

void HeaderTable::ensureTrailingRow()
{
    const int rows = rowCount();
    if (rows == 0 || !nameAt(rows - 1).isEmpty() || !valueAt(rows - 1).isEmpty())
        appendRow(QString(), QString(), false);
}

void HeaderTable::handleItemChanged(QTableWidgetItem *changed)
{
    if (m_updating)
        return;
    if (changed->column() == NameColumn) {
        // A pasted "Name: value" into the name cell becomes a row.
        const QString text = changed->text();
        const qsizetype colon = text.indexOf(QLatin1Char(':'));
        if (colon > 0 && valueAt(changed->row()).isEmpty() && isToken(text.left(colon).trimmed())) {
            const bool wasUpdating = std::exchange(m_updating, true);
            changed->setText(text.left(colon).trimmed());
            item(changed->row(), ValueColumn)->setText(text.mid(colon + 1).trimmed());
            m_updating = wasUpdating;
        }
        updateSecretItem(changed->row());
        viewport()->update();
    }
    if (changed->column() == SecretColumn)
        viewport()->update(); // re-mask the value
    ensureTrailingRow();
    Q_EMIT headersChanged();
}

void HeaderTable::setHeaders(const QList<QPair<QByteArray, QByteArray>> &headers,
                             const QList<QByteArray> &secret)
{
    const bool wasUpdating = std::exchange(m_updating, true);
    setRowCount(0);
    for (const auto &header : headers) {
        const bool marked = std::any_of(secret.cbegin(), secret.cend(), [&](const QByteArray &name) {
            return name.compare(header.first, Qt::CaseInsensitive) == 0;
        });
        appendRow(QString::fromLatin1(header.first), QString::fromUtf8(header.second), marked);
    }
    ensureTrailingRow();
    m_updating = wasUpdating;
    Q_EMIT headersChanged();
}

void HeaderTable::clearHeaders()
{
    setHeaders({}, {});
}

bool HeaderTable::readHeaders(QList<QPair<QByteArray, QByteArray>> *headers, QList<QByteArray> *secret,
                              QString *error) const
{
    QList<QPair<QByteArray, QByteArray>> outHeaders;
    QList<QByteArray> outSecret;
    for (int row = 0; row < rowCount(); ++row) {
        const QString name = nameAt(row);
        const QString value = valueAt(row);
        if (name.isEmpty() && value.isEmpty())
            continue;
        if (!isToken(name)) {
            *error = name.isEmpty()
                ? tr("Header row %1 has a value but no name").arg(row + 1)
                : tr("Header row %1: \"%2\" is not a valid header name").arg(row + 1).arg(name);
            return false;
        }
        outHeaders.append({name.toLatin1(), value.toUtf8()});
        const QTableWidgetItem *secretItem = item(row, SecretColumn);
        if (!isAlwaysSecret(name) && secretItem && secretItem->checkState() == Qt::Checked)
            outSecret.append(name.toLatin1());
    }
    *headers = outHeaders;
    *secret = outSecret;
    return true;
}

int HeaderTable::headerCount() const
{
    int count = 0;
    for (int row = 0; row < rowCount(); ++row)
        count += nameAt(row).isEmpty() ? 0 : 1;
    return count;
}

int HeaderTable::secretCount() const
{
    int count = 0;
    for (int row = 0; row < rowCount(); ++row)
        count += !nameAt(row).isEmpty() && isSecretRow(row) ? 1 : 0;
    return count;
}

int HeaderTable::pasteLines(const QString &text)
{
    const bool wasUpdating = std::exchange(m_updating, true);
    // Fill the empty trailing row first, then append.
    if (rowCount() > 0 && nameAt(rowCount() - 1).isEmpty() && valueAt(rowCount() - 1).isEmpty())
        removeRow(rowCount() - 1);
    int added = 0;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (const QString &raw : lines) {
        const QString line = raw.trimmed();
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        if (colon <= 0)
            continue;
        appendRow(line.left(colon).trimmed(), line.mid(colon + 1).trimmed(), false);
        ++added;
    }
    ensureTrailingRow();
    m_updating = wasUpdating;
    if (added > 0)
        Q_EMIT headersChanged();
    return added;
}

void HeaderTable::removeSelectedRows()
{
    QList<int> rows;
    for (const QModelIndex &index : selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty() && currentIndex().isValid())
        rows.append(currentIndex().row());
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    const bool wasUpdating = std::exchange(m_updating, true);
    for (const int row : std::as_const(rows))
        removeRow(row);
    ensureTrailingRow();
    m_updating = wasUpdating;
    Q_EMIT headersChanged();
}

void HeaderTable::keyPressEvent(QKeyEvent *event)
{
    if (state() != QAbstractItemView::EditingState) {
        if (event->matches(QKeySequence::Paste)) {
            const QString text = QApplication::clipboard()->text();
            if (text.contains(QLatin1Char(':')) && pasteLines(text) > 0) {
                event->accept();
                return;
            }
        }
        if (event->key() == Qt::Key_Delete || event->key() == Qt::Key_Backspace) {
            removeSelectedRows();
            event->accept();
            return;
        }
    }
    QTableWidget::keyPressEvent(event);
}
