// The model preview's saving and attaching: the buttons' state, saving the model to a file and
// attaching it to the table (creating or replacing the table's model).

#include "widgets/schema/modelpreviewdialog.h"

#include "model/store/open/storerunner.h"
#include "widgets/common/messagebar.h"
#include "widgets/common/notifier.h"

#include <QDir>
#include <QFileDialog>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTreeWidget>

// --- saving and attaching -----------------------------------------------------------------

void ModelPreviewDialog::updateButtons()
{
    const bool valid = !m_inferring && m_model.ok();
    m_save->setEnabled(valid);
    m_attach->setEnabled(valid && m_runner && !m_attaching);
    m_attach->setText(valid ? tr("&Attach to Table %1").arg(attachTarget())
                            : tr("&Attach to Table"));
    m_tree->setEnabled(!m_inferring && m_document != nullptr);
    m_editor->setReadOnly(m_inferring);
}

void ModelPreviewDialog::chooseSaveFile()
{
    if (!m_model)
        return;
    QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (dir.isEmpty())
        dir = QDir::homePath();
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save the table model"),
        dir + QStringLiteral("/%1.model.json").arg((*m_model)->tableName()),
        tr("Table models (*.model.json *.json);;All files (*)"));
    if (!path.isEmpty())
        saveToFile(path);
}

void ModelPreviewDialog::saveToFile(const QString &path)
{
    if (!m_model) {
        m_messages->showMessage(tr("Nothing was saved: %1").arg(m_model.error().toString()),
                                MessageBar::Kind::Error);
        return;
    }
    QByteArray text = m_editor->toPlainText().toUtf8();
    if (!text.endsWith('\n'))
        text += '\n';
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
        m_messages->showMessage(tr("The model was not saved to %1: %2")
                                    .arg(QDir::toNativeSeparators(path), file.errorString()),
                                MessageBar::Kind::Error);
        return;
    }
    m_messages->showMessage(tr("The model was saved to %1.").arg(QDir::toNativeSeparators(path)),
                            MessageBar::Kind::Information);
    emit modelSaved(path);
}

void ModelPreviewDialog::attachToTable()
{
    if (m_attaching || m_inferring)
        return;
    if (!m_runner) {
        m_messages->showMessage(tr("No store is open to attach the model to."),
                                MessageBar::Kind::Error);
        return;
    }
    if (!m_model) {
        m_messages->showMessage(tr("Nothing was attached: %1").arg(m_model.error().toString()),
                                MessageBar::Kind::Error);
        return;
    }
    const TableModelPtr model = *m_model;
    const QString target = attachTarget();
    m_attaching = true;
    updateButtons();
    m_runner->call([target](RecordStore &store) { return store.describeTable(target); }, this,
                   [this, target, model](Result<TableInfo> info) {
                       if (!info) {
                           if (info.error().kind == ErrorKind::NotFound &&
                               Notifier::instance().ask(
                                   this, tr("Create the table"),
                                   tr("There is no table %1 in this store. Create it with this "
                                      "model (hash key %2)?")
                                       .arg(target, model->hashKey()))) {
                               attach(target, model, true);
                               return;
                           }
                           m_attaching = false;
                           if (info.error().kind != ErrorKind::NotFound)
                               m_messages->showMessage(
                                   tr("Nothing was attached: %1").arg(info.error().toString()),
                                   MessageBar::Kind::Error);
                           updateButtons();
                           return;
                       }
                       if (info->hasModel && info->model && info->model->declaresFields() &&
                           !Notifier::instance().ask(
                               this, tr("Replace the model"),
                               tr("Table %1 already has a model with fields. Replace it with "
                                  "this one? Records are not changed; the ones that do not "
                                  "fit the new model will be marked invalid.")
                                   .arg(target))) {
                           m_attaching = false;
                           updateButtons();
                           return;
                       }
                       attach(target, model, false);
                   });
}

void ModelPreviewDialog::attach(const QString &target, TableModelPtr model, bool create)
{
    m_runner->call(
        [target, model, create](RecordStore &store) {
            return create ? store.createTable(target, *model) : store.setModel(target, *model);
        },
        this,
        [this, target, create](Status status) {
            m_attaching = false;
            updateButtons();
            if (!status) {
                m_messages->showMessage(
                    tr("The model was not attached: %1").arg(status.error().toString()),
                    MessageBar::Kind::Error);
                return;
            }
            m_messages->showMessage(create
                                        ? tr("Table %1 was created with this model.").arg(target)
                                        : tr("The model is now attached to table %1.").arg(target),
                                    MessageBar::Kind::Information);
            emit modelAttached(target);
        });
}
