#pragma once

#include <QColor>
#include <QList>
#include <QWidget>

/// The chart's legend, below the plot: one entry per shown series (a line swatch in the series'
/// colour and style, the name, "(right)" for series on the right axis), laid out in rows that
/// wrap, so no name is cut short unless a single name is wider than the whole widget (then it
/// is elided in the middle, where paths differ least). The full series name is the tooltip.
/// Height follows the width (heightForWidth), so the layout grows a row instead of truncating.
class ChartLegend : public QWidget
{
    Q_OBJECT
public:
    struct Entry
    {
        QColor color;
        Qt::PenStyle style = Qt::SolidLine;
        QString name;
        QString toolTip;
        bool rightAxis = false;

        friend bool operator==(const Entry &, const Entry &) = default;
    };

    explicit ChartLegend(QWidget *parent = nullptr);
    ~ChartLegend() override;

    /// Repaints (and re-lays out) only when the entries differ.
    void setEntries(const QList<Entry> &entries);
    const QList<Entry> &entries() const { return m_entries; }
    /// The text painted for `entry` (name plus axis note).
    static QString entryText(const Entry &entry);

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Placed
    {
        QRect rect;
        QString text; ///< possibly elided
    };
    QList<Placed> layoutFor(int width) const;

    QList<Entry> m_entries;
    QList<Placed> m_placed;
};
