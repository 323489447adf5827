#pragma once

// What the key change wizard's two units share (rekeywizard.cpp: the helpers, the first three
// pages; rekeywizardrun.cpp: preview, run and summary). Internal to the wizard.

#include "model/rekey/rekeyengine.h"
#include "model/store/open/storerunner.h"
#include "widgets/rekey/rekeywizard.h"

#include <QFont>
#include <QString>
#include <QWizardPage>

#include <functional>

class QLabel;
class QTableWidget;
class QWidget;

namespace rekeywizardparts {

QString stepTitle(const QString &name);
QString milliseconds(qint64 microseconds);
QLabel *wrappingLabel(const QString &objectName, QWidget *parent);
QFont fixedFont();
// Appends a step row to a step list: icon and title, what ran, duration, ok or the message.
void addStepRow(QTableWidget *table, const RekeyStep &step);
QTableWidget *createStepList(const QString &objectName, QWidget *parent);

} // namespace rekeywizardparts

/// A page whose completeness and initialisation the wizard decides.
class RekeyWizard::Page : public QWizardPage
{
public:
    explicit Page(QWidget *parent = nullptr) : QWizardPage(parent) {}
    std::function<bool()> complete;
    std::function<void()> initialize;

    bool isComplete() const override { return complete ? complete() : QWizardPage::isComplete(); }
    void initializePage() override
    {
        if (initialize)
            initialize();
    }
    void cleanupPage() override {} // keep what was typed when going back
};

template <typename F, typename Done> void RekeyWizard::callStore(F work, Done done)
{
    m_runner->call([interposer = m_interposer, work = std::move(work)](
                       RecordStore &store) mutable { return work(interposed(interposer, store)); },
                   this, std::move(done));
}
