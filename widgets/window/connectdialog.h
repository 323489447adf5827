#pragma once

#include "model/store/dynamodb/awscredentials.h"

#include <QDialog>
#include <QPointer>
#include <QStringList>

class MessageBar;
class QButtonGroup;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QFont;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QRadioButton;
class QSpinBox;

/// Connects to a DynamoDB endpoint: the endpoint kind (the AWS endpoint of a region, a local
/// engine on host:port over http, a custom https host), the region, and where the credentials
/// come from (the environment, a profile of the shared AWS files, or keys typed for this session).
/// Test opens a temporary store off the GUI thread and lists the tables, or shows the error in
/// place; Stop (beside it while it runs) or closing the dialog interrupts it. The Timeouts group
/// sets the connect timeout, read timeout and deadline, kept only as parameters of the location
/// (`connect_timeout=5&read_timeout=20&deadline=60`); fields left at "default" add none. OK
/// answers location(); recent locations (never secrets) are kept in QSettings.
///
/// Typed keys are never written anywhere: on OK they are put into this process's environment
/// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), which StoreFactory::open reads,
/// and credentialSettings() answers them for callers that pass explicit settings instead.
class ConnectDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Endpoint { Aws, Local, Https };
    enum class Credentials { Environment, Profile, Keys };

    explicit ConnectDialog(QWidget *parent = nullptr);
    ~ConnectDialog() override;

    /// The location the inputs describe (`dynamodb://aws?region=R&profile=P`,
    /// `dynamodb://HOST:PORT?region=R`, `dynamodbs://HOST[:PORT]?region=R`); empty while they
    /// are incomplete.
    QString location() const;
    bool isComplete() const { return !location().isEmpty(); }
    /// Fills the inputs from a location (a recent one); false if it is not a DynamoDB location.
    bool setLocation(const QString &location);

    Endpoint endpoint() const;
    Credentials credentialSource() const;
    /// The keys typed into the dialog (Credentials::Keys), else empty; never stored.
    AwsSettings credentialSettings() const;
    /// The tables the last successful Test listed.
    QStringList tables() const;
    bool isTesting() const { return m_testing; }

    /// Recent locations, most recent first (QSettings "connections/recent").
    static QStringList recentLocations();
    /// Puts `location` first in the recent list (at most kMaxRecent; no user info is kept).
    static void rememberLocation(const QString &location);
    static constexpr int kMaxRecent = 8;
    /// Profile names of the shared AWS files ("default" first).
    static QStringList awsProfiles(const AwsCredentialResolver &resolver = AwsCredentialResolver());

public slots:
    /// Opens a temporary store on location() and lists its tables.
    void test();
    /// Interrupts a running Test (its answer then says it was cancelled).
    void stopTest();
    void accept() override;

signals:
    void locationChanged(const QString &location);
    /// A Test ended: `ok` with the tables listed, else the error shown in the dialog.
    void testFinished(bool ok);

private:
    void nameWidgets();
    void setUpRecent();
    QGroupBox *createEndpointBox();
    QGroupBox *createCredentialsBox(QFont &small);
    QGroupBox *createTimeoutsBox(const QFont &small);
    void setUpTestArea();
    void layOut(QGroupBox *endpointBox, QGroupBox *credentialsBox, QGroupBox *timeoutsBox);
    void connectInputs();
    void updateState();
    void clearTestResult();
    void growToFit();
    void showTestResult(int generation, const Result<QStringList> &result,
                        const QString &credentials);

    QComboBox *m_recent;
    QComboBox *m_endpoint;
    QFormLayout *m_endpointForm;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QComboBox *m_region;
    QButtonGroup *m_credentialGroup;
    QRadioButton *m_environmentRadio;
    QRadioButton *m_profileRadio;
    QRadioButton *m_keysRadio;
    QComboBox *m_profile;
    QDoubleSpinBox *m_connectTimeout;
    QDoubleSpinBox *m_readTimeout;
    QDoubleSpinBox *m_deadline;
    QLineEdit *m_accessKey;
    QLineEdit *m_secretKey;
    QLineEdit *m_sessionToken;
    QLabel *m_locationPreview;
    QLabel *m_hint;
    QPushButton *m_testButton;
    QPushButton *m_stopButton;
    QLabel *m_testStatus;
    MessageBar *m_testMessage;
    QListWidget *m_tables;
    QDialogButtonBox *m_buttons;

    QString m_lastLocation;
    /// Parameters of the location the inputs cannot show (max_attempts, a timeout of 0), kept
    /// as they came from setLocation().
    QStringList m_keptParameters;
    QPointer<QObject> m_testHolder; ///< owns the running Test's runner; deletes itself
    int m_generation = 0; ///< bumped by every Test and input change; stale results are dropped
    bool m_testing = false;
    bool m_testStopped = false; ///< Stop was pressed during the running Test
    bool m_filling = false;     ///< true while setLocation() fills the inputs
};
