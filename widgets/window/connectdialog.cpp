#include "widgets/window/connectdialog.h"

#include "model/store/dynamodb/dynamodbclient.h"
#include "model/store/dynamodb/dynamodbstore.h"
#include "model/store/open/storerunner.h"
#include "widgets/common/messagebar.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>
#include <QUrl>
#include <QUrlQuery>
#include <QVBoxLayout>

#include <algorithm>
#include <memory>
#include <optional>

namespace {

const QString kRecentKey = QStringLiteral("connections/recent");

const QStringList kRegions = {
    QStringLiteral("us-east-1"),      QStringLiteral("us-east-2"),
    QStringLiteral("us-west-1"),      QStringLiteral("us-west-2"),
    QStringLiteral("ca-central-1"),   QStringLiteral("sa-east-1"),
    QStringLiteral("eu-west-1"),      QStringLiteral("eu-west-2"),
    QStringLiteral("eu-west-3"),      QStringLiteral("eu-central-1"),
    QStringLiteral("eu-central-2"),   QStringLiteral("eu-north-1"),
    QStringLiteral("eu-south-1"),     QStringLiteral("me-central-1"),
    QStringLiteral("af-south-1"),     QStringLiteral("ap-south-1"),
    QStringLiteral("ap-northeast-1"), QStringLiteral("ap-northeast-2"),
    QStringLiteral("ap-northeast-3"), QStringLiteral("ap-southeast-1"),
    QStringLiteral("ap-southeast-2"), QStringLiteral("ap-east-1"),
};

/// A Test waits for one answer, not for the long retry budget of a working connection; its
/// timeouts and deadline are the location's.
constexpr int kTestRetries = 1;

/// The location parameters of the Timeouts group, in the order they are written.
const QString kConnectTimeout = QStringLiteral("connect_timeout");
const QString kReadTimeout = QStringLiteral("read_timeout");
const QString kDeadline = QStringLiteral("deadline");

/// Seconds as a location writes them: "10", "2.5".
QString secondsText(double seconds)
{
    return QString::number(seconds, 'f', 1).remove(QRegularExpression(QStringLiteral("\\.0$")));
}

bool validRegion(const QString &region)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9-]+$"));
    return pattern.match(region).hasMatch();
}

/// A host name or address, without scheme, port or path (IPv6 in brackets).
bool validHost(const QString &host)
{
    static const QRegularExpression pattern(
        QStringLiteral("^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+)$"));
    return pattern.match(host).hasMatch();
}

QString percent(const QString &text)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}

/// Seconds without a needless ".0" ("5 s", "2.5 s").
class SecondsSpinBox : public QDoubleSpinBox
{
public:
    using QDoubleSpinBox::QDoubleSpinBox;

protected:
    QString textFromValue(double value) const override { return secondsText(value); }
};

/// Owns a temporary runner until its Test has answered, even when the dialog is gone by then:
/// destroying a runner waits for its thread, and the GUI thread must never wait on I/O.
class TestHolder : public QObject
{
public:
    std::unique_ptr<StoreRunner> runner = std::make_unique<StoreRunner>();
};

} // namespace

ConnectDialog::ConnectDialog(QWidget *parent)
    : QDialog(parent), m_recent(new QComboBox(this)), m_endpoint(new QComboBox(this)),
      m_endpointForm(nullptr), m_host(new QLineEdit(this)), m_port(new QSpinBox(this)),
      m_region(new QComboBox(this)), m_credentialGroup(new QButtonGroup(this)),
      m_environmentRadio(new QRadioButton(tr("From the &environment"), this)),
      m_profileRadio(new QRadioButton(tr("&Profile:"), this)),
      m_keysRadio(new QRadioButton(tr("Access ke&ys (this session only):"), this)),
      m_profile(new QComboBox(this)), m_connectTimeout(new SecondsSpinBox(this)),
      m_readTimeout(new SecondsSpinBox(this)), m_deadline(new SecondsSpinBox(this)),
      m_accessKey(new QLineEdit(this)), m_secretKey(new QLineEdit(this)),
      m_sessionToken(new QLineEdit(this)), m_locationPreview(new QLabel(this)),
      m_hint(new QLabel(this)), m_testButton(new QPushButton(tr("&Test"), this)),
      m_stopButton(new QPushButton(tr("Stop"), this)), m_testStatus(new QLabel(this)),
      m_testMessage(new MessageBar(this)), m_tables(new QListWidget(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("connectDialog"));
    setWindowTitle(tr("Connect to DynamoDB"));
    setMinimumWidth(540);

    nameWidgets();
    setUpRecent();
    QGroupBox *endpointBox = createEndpointBox();
    QFont small;
    QGroupBox *credentialsBox = createCredentialsBox(small);
    QGroupBox *timeoutsBox = createTimeoutsBox(small);
    setUpTestArea();
    layOut(endpointBox, credentialsBox, timeoutsBox);
    connectInputs();

    const QStringList recent = recentLocations();
    if (recent.isEmpty() || !setLocation(recent.first()))
        updateState();
    m_endpoint->setFocus();
}

/// Object names for every input, and the Connect button's text.
void ConnectDialog::nameWidgets()
{
    m_recent->setObjectName(QStringLiteral("recentCombo"));
    m_endpoint->setObjectName(QStringLiteral("endpointCombo"));
    m_host->setObjectName(QStringLiteral("hostEdit"));
    m_port->setObjectName(QStringLiteral("portSpin"));
    m_region->setObjectName(QStringLiteral("regionCombo"));
    m_environmentRadio->setObjectName(QStringLiteral("environmentRadio"));
    m_profileRadio->setObjectName(QStringLiteral("profileRadio"));
    m_keysRadio->setObjectName(QStringLiteral("keysRadio"));
    m_profile->setObjectName(QStringLiteral("profileCombo"));
    m_connectTimeout->setObjectName(QStringLiteral("connectTimeoutSpin"));
    m_readTimeout->setObjectName(QStringLiteral("readTimeoutSpin"));
    m_deadline->setObjectName(QStringLiteral("deadlineSpin"));
    m_accessKey->setObjectName(QStringLiteral("accessKeyEdit"));
    m_secretKey->setObjectName(QStringLiteral("secretKeyEdit"));
    m_sessionToken->setObjectName(QStringLiteral("sessionTokenEdit"));
    m_locationPreview->setObjectName(QStringLiteral("locationPreview"));
    m_hint->setObjectName(QStringLiteral("hintLabel"));
    m_testButton->setObjectName(QStringLiteral("testButton"));
    m_stopButton->setObjectName(QStringLiteral("stopTestButton"));
    m_testStatus->setObjectName(QStringLiteral("testStatus"));
    m_testMessage->setObjectName(QStringLiteral("testMessage"));
    m_tables->setObjectName(QStringLiteral("tablesList"));
    m_buttons->setObjectName(QStringLiteral("buttonBox"));
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("okButton"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("C&onnect"));
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
}

/// The recent connections to choose from.
void ConnectDialog::setUpRecent()
{
    // Recent connections.
    m_recent->addItem(tr("Choose a recent connection…"));
    for (const QString &location : recentLocations())
        m_recent->addItem(location, location);
    m_recent->setEnabled(m_recent->count() > 1);
    m_recent->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_recent->setMinimumContentsLength(30);
}

/// The endpoint: its kind, host and port, and the region.
QGroupBox *ConnectDialog::createEndpointBox()
{
    // Endpoint.
    m_endpoint->addItem(tr("AWS endpoint of the region"), int(Endpoint::Aws));
    m_endpoint->addItem(tr("Local engine (http, host:port)"), int(Endpoint::Local));
    m_endpoint->addItem(tr("Custom host (https)"), int(Endpoint::Https));
    m_host->setPlaceholderText(QStringLiteral("127.0.0.1"));
    m_host->setClearButtonEnabled(true);
    m_port->setRange(0, 65535);
    m_port->setValue(8000);
    m_port->setSpecialValueText(tr("default"));
    m_port->setAccelerated(true);
    m_region->setEditable(true);
    m_region->setInsertPolicy(QComboBox::NoInsert);
    m_region->addItems(kRegions);
    QString region = qEnvironmentVariable("AWS_REGION");
    if (region.isEmpty())
        region = qEnvironmentVariable("AWS_DEFAULT_REGION");
    m_region->setCurrentText(region.isEmpty() ? QStringLiteral("us-east-1") : region);

    auto *hostRow = new QHBoxLayout;
    hostRow->addWidget(m_host, 1);
    auto *portLabel = new QLabel(tr("Po&rt:"), this);
    portLabel->setBuddy(m_port);
    hostRow->addWidget(portLabel);
    hostRow->addWidget(m_port);

    auto *endpointBox = new QGroupBox(tr("Endpoint"), this);
    m_endpointForm = new QFormLayout(endpointBox);
    m_endpointForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_endpointForm->addRow(tr("&Kind:"), m_endpoint);
    auto *hostLabel = new QLabel(tr("&Host:"), this);
    hostLabel->setBuddy(m_host);
    m_endpointForm->addRow(hostLabel, hostRow);
    m_endpointForm->addRow(tr("Re&gion:"), m_region);
    return endpointBox;
}

/// The credentials: the environment, a profile or typed keys; `small` is the font of the notes.
QGroupBox *ConnectDialog::createCredentialsBox(QFont &small)
{
    // Credentials.
    m_credentialGroup->addButton(m_environmentRadio, int(Credentials::Environment));
    m_credentialGroup->addButton(m_profileRadio, int(Credentials::Profile));
    m_credentialGroup->addButton(m_keysRadio, int(Credentials::Keys));
    m_environmentRadio->setToolTip(
        tr("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, else the profile AWS_PROFILE names, "
           "else the default profile"));
    m_profile->setEditable(true);
    m_profile->setInsertPolicy(QComboBox::NoInsert);
    m_profile->addItems(awsProfiles());
    m_accessKey->setPlaceholderText(QStringLiteral("AKIA…"));
    m_secretKey->setEchoMode(QLineEdit::Password);
    m_sessionToken->setEchoMode(QLineEdit::Password);
    m_sessionToken->setPlaceholderText(tr("optional"));
    for (QLineEdit *edit : {m_accessKey, m_secretKey, m_sessionToken}) {
        edit->setClearButtonEnabled(true);
        edit->setMinimumWidth(260);
    }
    const bool hasProfiles = m_profile->count() > 0;
    (hasProfiles ? m_profileRadio : m_environmentRadio)->setChecked(true);

    auto *credentialsBox = new QGroupBox(tr("Credentials"), this);
    auto *credentialsForm = new QFormLayout(credentialsBox);
    credentialsForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    credentialsForm->addRow(m_environmentRadio);
    credentialsForm->addRow(m_profileRadio, m_profile);
    credentialsForm->addRow(m_keysRadio);
    auto *keysForm = new QFormLayout;
    keysForm->setContentsMargins(24, 0, 0, 0);
    keysForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    keysForm->addRow(tr("Access key &ID:"), m_accessKey);
    keysForm->addRow(tr("&Secret access key:"), m_secretKey);
    keysForm->addRow(tr("Sessio&n token:"), m_sessionToken);
    credentialsForm->addRow(keysForm);
    auto *keysNote = new QLabel(
        tr("Typed keys are kept in memory for this session only and never saved."), this);
    keysNote->setObjectName(QStringLiteral("keysNote"));
    keysNote->setContentsMargins(24, 0, 0, 0);
    small = keysNote->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    keysNote->setFont(small);
    credentialsForm->addRow(keysNote);
    return credentialsBox;
}

/// The connect, read and deadline timeouts.
QGroupBox *ConnectDialog::createTimeoutsBox(const QFont &small)
{
    // Timeouts: 0 shows "default"; only what the user sets goes into the location.
    using Options = DynamoDbClientOptions;
    const struct
    {
        QDoubleSpinBox *spin;
        QString tip;
    } timeouts[] = {
        {m_connectTimeout,
         tr("The longest wait for a connection (name lookup, TCP and TLS), per attempt; "
            "default %1")
             .arg(Options::seconds(Options::kDefaultConnectTimeoutMs))},
        {m_readTimeout,
         tr("The longest silence of the server once a request is sent, per attempt; default %1")
             .arg(Options::seconds(Options::kDefaultReadTimeoutMs))},
        {m_deadline,
         tr("The longest a request may take with all its retries; nothing waits longer; "
            "default %1")
             .arg(Options::seconds(Options::kDefaultDeadlineMs))},
    };
    for (const auto &t : timeouts) {
        t.spin->setRange(0, Options::kMaxSettingMs / 1000);
        t.spin->setDecimals(1);
        t.spin->setSingleStep(1);
        t.spin->setSuffix(tr(" s"));
        t.spin->setSpecialValueText(tr("default"));
        t.spin->setValue(0);
        t.spin->setToolTip(t.tip);
        t.spin->setAccelerated(true);
    }
    auto *timeoutsBox = new QGroupBox(tr("Timeouts"), this);
    timeoutsBox->setObjectName(QStringLiteral("timeoutsBox"));
    auto *timeoutsLayout = new QVBoxLayout(timeoutsBox);
    auto *timeoutsRow = new QHBoxLayout;
    // (Connect has no mnemonic: its letters are taken by the rows above and the buttons.)
    const QString timeoutLabels[] = {tr("Connect:"), tr("Re&ad:"), tr("&Deadline:")};
    for (int i = 0; i < 3; ++i) {
        auto *label = new QLabel(timeoutLabels[i], this);
        label->setBuddy(timeouts[i].spin);
        timeoutsRow->addWidget(label);
        timeoutsRow->addWidget(timeouts[i].spin, 1);
        if (i < 2)
            timeoutsRow->addSpacing(12);
    }
    timeoutsLayout->addLayout(timeoutsRow);
    auto *timeoutsNote = new QLabel(
        tr("Connect and read (the server's silence) are per attempt; the deadline bounds a "
           "request with its retries. Defaults: %1, %2, %3.")
            .arg(Options::seconds(Options::kDefaultConnectTimeoutMs),
                 Options::seconds(Options::kDefaultReadTimeoutMs),
                 Options::seconds(Options::kDefaultDeadlineMs)),
        this);
    timeoutsNote->setObjectName(QStringLiteral("timeoutsNote"));
    timeoutsNote->setWordWrap(true);
    timeoutsNote->setFont(small);
    timeoutsLayout->addWidget(timeoutsNote);
    return timeoutsBox;
}

/// The location preview, the Test and Stop buttons, the answer and the tables found.
void ConnectDialog::setUpTestArea()
{
    // Location preview, Test and its answer.
    m_locationPreview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_locationPreview->setWordWrap(true);
    m_hint->setWordWrap(true);
    m_hint->setStyleSheet(QStringLiteral("color:#7a1c12;"));
    m_testButton->setAutoDefault(false); // Enter is OK, wherever the focus is
    m_testButton->setToolTip(tr("Connect once and list the tables"));
    m_stopButton->setAutoDefault(false);
    m_stopButton->setToolTip(tr("Stop waiting for the server"));
    m_stopButton->hide();
    m_testStatus->setWordWrap(true);
    // Room for the answer (status and credential source) from the start, so that it never
    // squeezes the inputs above it when it arrives.
    m_testStatus->setMinimumHeight(3 * m_testStatus->fontMetrics().lineSpacing());
    m_testStatus->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_testStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tables->setSelectionMode(QAbstractItemView::NoSelection);
    m_tables->setMinimumHeight(90);
    m_tables->setFocusPolicy(Qt::NoFocus);
}

/// The dialog from top to bottom: recent, endpoint, credentials, timeouts, location, test.
void ConnectDialog::layOut(QGroupBox *endpointBox, QGroupBox *credentialsBox,
                           QGroupBox *timeoutsBox)
{
    auto *locationForm = new QFormLayout;
    locationForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto *previewLabel = new QLabel(tr("Location:"), this);
    locationForm->addRow(previewLabel, m_locationPreview);

    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_testButton, 0, Qt::AlignTop);
    testRow->addWidget(m_stopButton, 0, Qt::AlignTop);
    testRow->addWidget(m_testStatus, 1);

    auto *recentForm = new QFormLayout;
    recentForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto *recentLabel = new QLabel(tr("Re&cent:"), this);
    recentLabel->setBuddy(m_recent);
    recentForm->addRow(recentLabel, m_recent);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(recentForm);
    layout->addWidget(endpointBox);
    layout->addWidget(credentialsBox);
    layout->addWidget(timeoutsBox);
    layout->addLayout(locationForm);
    layout->addWidget(m_hint);
    layout->addLayout(testRow);
    layout->addWidget(m_testMessage);
    layout->addWidget(m_tables, 1);
    layout->addWidget(m_buttons);
}

/// Every input updates the location and the hints; the buttons test, stop, connect or cancel.
void ConnectDialog::connectInputs()
{
    QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setDefault(true);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ConnectDialog::reject);
    connect(m_testButton, &QPushButton::clicked, this, &ConnectDialog::test);
    connect(m_stopButton, &QPushButton::clicked, this, &ConnectDialog::stopTest);
    connect(m_recent, &QComboBox::activated, this, [this](int index) {
        if (index > 0)
            setLocation(m_recent->itemData(index).toString());
    });
    connect(m_endpoint, &QComboBox::currentIndexChanged, this, [this] {
        // A local engine needs a port; https has a default one.
        if (endpoint() == Endpoint::Local && m_port->value() == 0 && !m_filling)
            m_port->setValue(8000);
        updateState();
    });
    connect(m_host, &QLineEdit::textChanged, this, &ConnectDialog::updateState);
    connect(m_port, &QSpinBox::valueChanged, this, &ConnectDialog::updateState);
    connect(m_region, &QComboBox::currentTextChanged, this, &ConnectDialog::updateState);
    connect(m_profile, &QComboBox::currentTextChanged, this, &ConnectDialog::updateState);
    for (QDoubleSpinBox *spin : {m_connectTimeout, m_readTimeout, m_deadline})
        connect(spin, &QDoubleSpinBox::valueChanged, this, &ConnectDialog::updateState);
    connect(m_credentialGroup, &QButtonGroup::idToggled, this, [this](int, bool checked) {
        if (checked)
            updateState();
    });
    for (QLineEdit *edit : {m_accessKey, m_secretKey, m_sessionToken})
        connect(edit, &QLineEdit::textChanged, this, &ConnectDialog::updateState);
}

ConnectDialog::~ConnectDialog()
{
    stopTest(); // its runner goes when its (now cancelled) answer comes
}

ConnectDialog::Endpoint ConnectDialog::endpoint() const
{
    return Endpoint(m_endpoint->currentData().toInt());
}

ConnectDialog::Credentials ConnectDialog::credentialSource() const
{
    const int id = m_credentialGroup->checkedId();
    return id < 0 ? Credentials::Environment : Credentials(id);
}

AwsSettings ConnectDialog::credentialSettings() const
{
    AwsSettings settings;
    if (credentialSource() == Credentials::Keys) {
        settings.accessKeyId = m_accessKey->text().trimmed();
        settings.secretAccessKey = m_secretKey->text().trimmed();
        settings.sessionToken = m_sessionToken->text().trimmed();
    }
    return settings;
}

QStringList ConnectDialog::tables() const
{
    QStringList names;
    for (int i = 0; i < m_tables->count(); ++i)
        names << m_tables->item(i)->text();
    return names;
}

QString ConnectDialog::location() const
{
    const QString region = m_region->currentText().trimmed();
    const QString host = m_host->text().trimmed();
    if (!region.isEmpty() && !validRegion(region))
        return {};
    QString base;
    switch (endpoint()) {
    case Endpoint::Aws:
        if (region.isEmpty())
            return {};
        base = QStringLiteral("dynamodb://aws");
        break;
    case Endpoint::Local:
        if (!validHost(host) || m_port->value() <= 0)
            return {};
        base = QStringLiteral("dynamodb://%1:%2").arg(host).arg(m_port->value());
        break;
    case Endpoint::Https:
        if (!validHost(host))
            return {};
        base = QStringLiteral("dynamodbs://") + host;
        if (m_port->value() > 0)
            base += u':' + QString::number(m_port->value());
        break;
    }
    QStringList query;
    if (!region.isEmpty())
        query << QStringLiteral("region=") + region;
    switch (credentialSource()) {
    case Credentials::Environment:
        break;
    case Credentials::Profile: {
        const QString profile = m_profile->currentText().trimmed();
        if (profile.isEmpty())
            return {};
        query << QStringLiteral("profile=") + percent(profile);
        break;
    }
    case Credentials::Keys:
        if (m_accessKey->text().trimmed().isEmpty() || m_secretKey->text().trimmed().isEmpty())
            return {};
        break;
    }
    const std::pair<QString, QDoubleSpinBox *> timeouts[] = {{kConnectTimeout, m_connectTimeout},
                                                             {kReadTimeout, m_readTimeout},
                                                             {kDeadline, m_deadline}};
    for (const auto &[name, spin] : timeouts) {
        if (spin->value() > 0)
            query << name + u'=' + secondsText(spin->value());
    }
    query << m_keptParameters;
    return query.isEmpty() ? base : base + u'?' + query.join(u'&');
}

bool ConnectDialog::setLocation(const QString &location)
{
    const QUrl url(location, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || (scheme != u"dynamodb" && scheme != u"dynamodbs"))
        return false;
    const QUrlQuery query(url);
    const QString region = query.queryItemValue(QStringLiteral("region"), QUrl::FullyDecoded);
    const QString profile = query.queryItemValue(QStringLiteral("profile"), QUrl::FullyDecoded);

    m_filling = true;
    Endpoint kind = Endpoint::Https;
    if (scheme == u"dynamodb")
        kind = url.host().compare(QStringLiteral("aws"), Qt::CaseInsensitive) == 0
                   ? Endpoint::Aws
                   : Endpoint::Local;
    m_endpoint->setCurrentIndex(m_endpoint->findData(int(kind)));
    if (kind != Endpoint::Aws) {
        // QUrl answers IPv6 hosts without their brackets.
        const QString host = url.host();
        m_host->setText(host.contains(u':') ? u'[' + host + u']' : host);
        m_port->setMinimum(kind == Endpoint::Https ? 0 : 1);
        m_port->setValue(url.port() > 0 ? url.port() : (kind == Endpoint::Local ? 8000 : 0));
    }
    m_region->setCurrentText(region);
    m_keptParameters.clear();
    const std::pair<QString, QDoubleSpinBox *> timeouts[] = {{kConnectTimeout, m_connectTimeout},
                                                             {kReadTimeout, m_readTimeout},
                                                             {kDeadline, m_deadline}};
    for (const auto &[name, spin] : timeouts)
        spin->setValue(0);
    for (const auto &[name, value] : query.queryItems(QUrl::FullyEncoded)) {
        if (name == u"region" || name == u"profile")
            continue;
        QDoubleSpinBox *spin = nullptr;
        for (const auto &[known, field] : timeouts) {
            if (name == known)
                spin = field;
        }
        bool ok = false;
        const double seconds = value.toDouble(&ok);
        // What the fields show exactly goes there; anything else is kept as it was.
        if (spin && ok && seconds > 0 && seconds <= spin->maximum() &&
            secondsText(seconds) == value)
            spin->setValue(seconds);
        else
            m_keptParameters << name + u'=' + value;
    }
    if (!profile.isEmpty()) {
        m_profile->setCurrentText(profile);
        m_profileRadio->setChecked(true);
    } else if (credentialSource() == Credentials::Profile) {
        m_environmentRadio->setChecked(true);
    }
    m_filling = false;
    updateState();
    return true;
}

void ConnectDialog::updateState()
{
    if (m_filling)
        return;
    const Endpoint kind = endpoint();
    m_host->setEnabled(kind != Endpoint::Aws);
    m_port->setEnabled(kind != Endpoint::Aws);
    m_port->setMinimum(kind == Endpoint::Https ? 0 : 1);
    if (kind == Endpoint::Aws) {
        const QString region = m_region->currentText().trimmed();
        m_host->setPlaceholderText(QStringLiteral("dynamodb.%1.amazonaws.com")
                                       .arg(region.isEmpty() ? QStringLiteral("REGION") : region));
    } else {
        m_host->setPlaceholderText(kind == Endpoint::Local
                                       ? QStringLiteral("127.0.0.1")
                                       : QStringLiteral("dynamodb.example.com"));
    }
    const Credentials source = credentialSource();
    m_profile->setEnabled(source == Credentials::Profile);
    for (QLineEdit *edit : {m_accessKey, m_secretKey, m_sessionToken})
        edit->setEnabled(source == Credentials::Keys);

    clearTestResult(); // any change of the inputs makes the last answer stale, keys included
    const QString current = location();
    QString hint;
    if (current.isEmpty()) {
        const QString region = m_region->currentText().trimmed();
        const QString host = m_host->text().trimmed();
        if (!region.isEmpty() && !validRegion(region))
            hint = tr("A region is written like eu-west-2.");
        else if (kind == Endpoint::Aws && region.isEmpty())
            hint = tr("Choose the region of the AWS endpoint.");
        else if (kind != Endpoint::Aws && host.isEmpty())
            hint = tr("Enter the host name or address.");
        else if (kind != Endpoint::Aws && !validHost(host))
            hint = tr("The host is a name or an address only, without scheme, port or path.");
        else if (source == Credentials::Profile && m_profile->currentText().trimmed().isEmpty())
            hint = tr("Choose a profile.");
        else if (source == Credentials::Keys)
            hint = tr("Enter the access key ID and the secret access key.");
    }
    m_hint->setText(hint);
    m_hint->setVisible(!hint.isEmpty());
    m_locationPreview->setText(current.isEmpty() ? tr("(incomplete)") : current);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!current.isEmpty());
    m_testButton->setEnabled(!current.isEmpty() && !m_testing);
    if (current != m_lastLocation) {
        m_lastLocation = current;
        emit locationChanged(current);
    }
}

void ConnectDialog::clearTestResult()
{
    ++m_generation;
    if (m_testing) {
        // The running Test is about other inputs now: stop it, its answer is dropped.
        stopTest();
        m_testing = false;
        m_stopButton->hide();
        m_testButton->setEnabled(isComplete());
    }
    m_tables->clear();
    m_testStatus->clear();
    m_testMessage->hide();
    m_tables->show();
}

void ConnectDialog::stopTest()
{
    if (auto *holder = static_cast<TestHolder *>(m_testHolder.data())) {
        holder->runner->interrupt();
        m_testStopped = m_testing;
    }
}

void ConnectDialog::test()
{
    const QString target = location();
    if (target.isEmpty())
        return;
    clearTestResult();
    const int generation = m_generation;
    m_testing = true;
    m_testButton->setEnabled(false);
    m_stopButton->show();
    m_testStopped = false;
    m_testStatus->setText(tr("Connecting to %1… (Stop cancels)").arg(target));

    const AwsSettings settings = credentialSettings();
    // Written on the store thread before the listing runs there, read back on this thread
    // after it: the queued calls between them order the accesses.
    auto credentials = std::make_shared<QString>();
    auto openError = std::make_shared<std::optional<Error>>();

    auto *holder = new TestHolder;
    m_testHolder = holder;
    holder->runner->openWith(
        [target, settings, credentials, openError]() -> Result<std::unique_ptr<RecordStore>> {
            auto config = DynamoDbStore::configFromLocation(target, settings);
            if (!config) {
                *openError = config.error();
                return config.error();
            }
            *credentials = config->credentials.describe();
            config->clientOptions.maxRetries =
                std::min(config->clientOptions.maxRetries, kTestRetries);
            auto store = DynamoDbStore::open(std::move(*config));
            if (!store) {
                *openError = store.error();
                return store.error();
            }
            return std::unique_ptr<RecordStore>(std::move(*store));
        },
        target);
    QPointer<ConnectDialog> self(this);
    holder->runner->call(
        [](RecordStore &store) { return store.listTables(); }, holder,
        [self, holder, generation, credentials, openError](Result<QStringList> result) {
            if (self) {
                if (!result && openError->has_value())
                    result = Result<QStringList>(**openError);
                self->showTestResult(generation, result, *credentials);
            }
            holder->deleteLater();
        });
}

void ConnectDialog::showTestResult(int generation, const Result<QStringList> &result,
                                   const QString &credentials)
{
    if (generation != m_generation)
        return; // the inputs changed meanwhile: the answer is about another connection
    m_testing = false;
    m_stopButton->hide();
    m_testButton->setEnabled(isComplete());
    m_tables->clear();
    if (result) {
        QStringList names = *result;
        names.sort(Qt::CaseInsensitive);
        m_tables->addItems(names);
        QString text = names.isEmpty()     ? tr("Connected; there are no tables yet.")
                       : names.size() == 1 ? tr("Connected: 1 table.")
                                           : tr("Connected: %1 tables.").arg(names.size());
        if (!credentials.isEmpty())
            text += u'\n' + tr("Credentials: %1.").arg(credentials);
        m_testStatus->setText(text);
        m_testMessage->hide();
    } else if (m_testStopped) {
        m_testStatus->setText(tr("Test stopped; nothing was listed."));
        m_testMessage->hide();
    } else {
        m_testStatus->clear();
        QString text = tr("Cannot connect (%1): %2")
                           .arg(errorKindName(result.error().kind), result.error().message);
        if (!credentials.isEmpty())
            text += u'\n' + tr("Credentials: %1.").arg(credentials);
        // The message takes the place of the (empty) table list, then the dialog grows if the
        // message needs more room than that, rather than squeezing the inputs.
        m_tables->hide();
        m_testMessage->showMessage(text, MessageBar::Kind::Error);
        growToFit();
    }
    emit testFinished(result.ok());
}

void ConnectDialog::growToFit()
{
    layout()->activate();
    int needed = layout()->totalMinimumSize().height();
    if (layout()->hasHeightForWidth())
        needed = std::max(needed, layout()->totalHeightForWidth(width()));
    if (needed > height())
        resize(width(), needed);
}

void ConnectDialog::accept()
{
    const QString current = location();
    if (current.isEmpty())
        return;
    rememberLocation(current);
    if (credentialSource() == Credentials::Keys) {
        // For this process only, where StoreFactory::open finds them; never on disk.
        const AwsSettings keys = credentialSettings();
        qputenv("AWS_ACCESS_KEY_ID", keys.accessKeyId.toUtf8());
        qputenv("AWS_SECRET_ACCESS_KEY", keys.secretAccessKey.toUtf8());
        if (keys.sessionToken.isEmpty())
            qunsetenv("AWS_SESSION_TOKEN");
        else
            qputenv("AWS_SESSION_TOKEN", keys.sessionToken.toUtf8());
    }
    QDialog::accept();
}

QStringList ConnectDialog::recentLocations()
{
    QStringList locations = QSettings().value(kRecentKey).toStringList();
    locations.removeAll(QString());
    return locations.mid(0, kMaxRecent);
}

void ConnectDialog::rememberLocation(const QString &location)
{
    // A location never carries credentials; drop any user info all the same.
    QUrl url(location);
    const QString kept = url.userInfo().isEmpty() ? location : url.toString(QUrl::RemoveUserInfo);
    if (kept.isEmpty())
        return;
    QStringList locations = recentLocations();
    locations.removeAll(kept);
    locations.prepend(kept);
    QSettings().setValue(kRecentKey, locations.mid(0, kMaxRecent));
}

QStringList ConnectDialog::awsProfiles(const AwsCredentialResolver &resolver)
{
    QStringList names;
    auto add = [&names](const QString &name) {
        if (!name.isEmpty() && !names.contains(name))
            names << name;
    };
    QFile credentials(resolver.credentialsFile());
    if (credentials.open(QIODevice::ReadOnly)) {
        const auto sections = AwsCredentialResolver::parseIni(credentials.readAll());
        for (auto it = sections.cbegin(); it != sections.cend(); ++it)
            add(it.key());
    }
    QFile config(resolver.configFile());
    if (config.open(QIODevice::ReadOnly)) {
        const auto sections = AwsCredentialResolver::parseIni(config.readAll());
        for (auto it = sections.cbegin(); it != sections.cend(); ++it) {
            // [default] and [profile NAME]; [sso-session ...] and [services ...] are not profiles.
            if (it.key() == u"default")
                add(it.key());
            else if (it.key().startsWith(QStringLiteral("profile ")))
                add(it.key().mid(8).trimmed());
        }
    }
    names.sort(Qt::CaseInsensitive);
    if (names.removeAll(QStringLiteral("default")) > 0)
        names.prepend(QStringLiteral("default"));
    return names;
}
