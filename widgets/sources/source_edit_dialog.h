#pragma once

#include <QDialog>
#include <QPersistentModelIndex>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class SourceListModel;
class SourceOptionsForm;
class StatusLine;
class TransportRegistry;

/// Edits one source after it was added: name, URL, transport and every option of
/// SourceOptionsForm. "Apply and reconnect" hands the configuration to
/// SourceListModel::updateSource(), which reopens the source with it; refusals (bad URL, a
/// duplicate, a name in use) show inline and keep the dialog open. The dialog follows its row
/// when other rows are removed, and refuses to apply when its source was removed.
class SourceEditDialog : public QDialog
{
    Q_OBJECT
public:
    /// `model` and `registry` must outlive the dialog.
    SourceEditDialog(SourceListModel *model, const TransportRegistry *registry, int row,
                     QWidget *parent = nullptr);
    ~SourceEditDialog() override;

    /// Applies the form; true when the source was updated (it reconnects with the settings).
    bool apply();
    QString errorText() const;
    int row() const { return m_row.isValid() ? m_row.row() : -1; }
    SourceOptionsForm *options() const { return m_options; }

    void accept() override;

private:
    QWidget *buildIdentityRows();
    void load();
    void updateScheme();

    SourceListModel *m_model;
    const TransportRegistry *m_registry;
    QPersistentModelIndex m_row;
    QLineEdit *m_name;
    QLineEdit *m_url;
    QComboBox *m_transport;
    SourceOptionsForm *m_options;
    StatusLine *m_status;
    QPushButton *m_applyButton;
};
