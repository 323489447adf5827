// Field paths (spec 4.1, 4.2, 2.5): resolution against a table model, placeholders, recursion
// levels, list indexes, key-only models, container defaults and display().

#include "model/schema/fieldpath.h"
#include "model/schema/tablemodel.h"

#include <QTest>

namespace {

// A users-like model (the README's table model example plus the shapes paths must handle).
constexpr char kUsersModel[] = R"({
  "table": "users",
  "primaryIndex": { "hashKey": "userId", "hashKeyType": "str" },
  "fields": {
    "userId":   { "type": "str", "required": true },
    "username": { "type": "str", "required": true },
    "age":      { "type": ["int", "float", "str"], "required": true },
    "metadata": { "type": "map", "fields": {
        "accountCreationTimestamp": { "type": "int", "required": true },
        "lastConnectionTimestamp":  { "type": "int" },
        "plan":                     { "type": "str" } } },
    "tokens":   { "type": "dict", "keyType": "str", "keyName": "tokenId",
                  "items": { "type": "map", "model": "AuthToken" } },
    "counters": { "type": "dict", "keyType": "int", "keyName": "counterId", "items": "int" },
    "tags":     { "type": "set", "items": "str" },
    "logs":     { "type": "list", "keyName": "logIndex", "items": ["str", "dict"] },
    "events":   { "type": "list", "items": { "type": "map", "model": "Event" } },
    "settings": { "type": "any" },
    "extra":    { "type": "map" },
    "blob":     { "type": "dict" },
    "prefs":    { "type": "map", "default": { "theme": "dark" } },
    "history":  { "type": "list", "items": "int", "default": [1] },
    "matrix":   { "type": "dict", "items": { "type": "dict", "items": "int" } },
    "parameters": { "type": "dict", "keyName": "parameterKey",
                    "items": { "type": "map", "model": "Parameter" } }
  },
  "models": {
    "AuthToken": { "fields": {
        "expirationTimestamp": { "type": "int", "required": true },
        "device": { "type": "map", "fields": { "name": { "type": "str", "required": true } } } } },
    "Event": { "fields": { "name": { "type": "str", "required": true } } },
    "Parameter": { "fields": {
        "value": { "type": "any" },
        "children": { "type": "dict", "keyName": "childKey{i}", "maxNestedDepth": 8,
                      "items": { "type": "map", "model": "Parameter" } } } }
  }
})";

QHash<QString, QString> variablesOf(const QStringList &pairs)
{
    QHash<QString, QString> out;
    for (const QString &pair : pairs) {
        const qsizetype eq = pair.indexOf(u'=');
        out.insert(pair.left(eq), pair.mid(eq + 1));
    }
    return out;
}

/// parameters.{{parameterKey}}.children.{{childKey0}}...children.{{childKey<levels-1>}}
QString parameterPath(int levels, QStringList *variables)
{
    QString path = QStringLiteral("parameters.{{parameterKey}}");
    *variables << QStringLiteral("parameterKey=p");
    for (int i = 0; i < levels; ++i) {
        path += QStringLiteral(".children.{{childKey%1}}").arg(i);
        *variables << QStringLiteral("childKey%1=c%1").arg(i);
    }
    return path;
}

} // namespace

class TstFieldPath : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void resolve_data();
    void resolve();
    void errors_data();
    void errors();
    void keyOnly_data();
    void keyOnly();
    void containerDefaults_data();
    void containerDefaults();
    void listIndexElement();
    void display();
    void inferredModelAcceptsUnknownPaths();

private:
    TableModelPtr m_users;
};

void TstFieldPath::initTestCase()
{
    auto model = TableModel::fromJson(kUsersModel, QStringLiteral("users (inline)"));
    QVERIFY2(model.ok(), qPrintable(model ? QString() : model.error().toString()));
    m_users = *model;
}

void TstFieldPath::resolve_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QString>("display");
    QTest::addColumn<int>("elements");
    QTest::addColumn<bool>("targetIsItem");
    QTest::addColumn<QString>("target"); // typeDescription of the target, "-" for nullptr
    QTest::addColumn<bool>("isHashKey");

    QTest::newRow("hash key") << "userId" << QStringList() << "userId" << 1 << false << "str"
                              << true;
    QTest::newRow("root field") << "username" << QStringList() << "username" << 1 << false << "str"
                                << false;
    QTest::newRow("union field") << "age" << QStringList() << "age" << 1 << false
                                 << "one of int, float or str" << false;
    QTest::newRow("nested map field")
        << "metadata.lastConnectionTimestamp" << QStringList() << "metadata.lastConnectionTimestamp"
        << 2 << false << "int" << false;
    QTest::newRow("dict item field")
        << "tokens.{{tokenId}}.expirationTimestamp" << QStringList{"tokenId=t1"}
        << "tokens.t1.expirationTimestamp" << 3 << false << "int" << false;
    QTest::newRow("dict item") << "tokens.{{tokenId}}" << QStringList{"tokenId=t1"} << "tokens.t1"
                               << 2 << true << "AuthToken" << false;
    QTest::newRow("key with dots")
        << "tokens.{{tokenId}}.device.name" << QStringList{"tokenId=a.b.c"}
        << "tokens.a.b.c.device.name" << 4 << false << "str" << false;
    QTest::newRow("brackets in a placeholder value are a key")
        << "settings.{{k}}" << QStringList{"k=a[1]"} << "settings.a[1]" << 2 << true << "-"
        << false;
    QTest::newRow("extra variables ignored")
        << "tokens.{{tokenId}}" << QStringList{"tokenId=t1", "x=y"} << "tokens.t1" << 2 << true
        << "AuthToken" << false;
    QTest::newRow("int dict key") << "counters.{{counterId}}" << QStringList{"counterId=12"}
                                  << "counters.12" << 2 << true << "int" << false;
    QTest::newRow("list index") << "logs.{{logIndex}}" << QStringList{"logIndex=3"} << "logs[3]"
                                << 2 << true << "str or dict" << false;
    QTest::newRow("list index zero") << "logs.{{logIndex}}" << QStringList{"logIndex=0"}
                                     << "logs[0]" << 2 << true << "str or dict" << false;
    QTest::newRow("default list key name")
        << "events.{{eventsIndex}}.name" << QStringList{"eventsIndex=2"} << "events[2].name" << 3
        << false << "str" << false;
    QTest::newRow("the set itself")
        << "tags" << QStringList() << "tags" << 1 << false << "set of str" << false;
    QTest::newRow("into any") << "settings.theme.colour" << QStringList() << "settings.theme.colour"
                              << 3 << false << "-" << false;
    QTest::newRow("any itself") << "settings" << QStringList() << "settings" << 1 << false << "any"
                                << false;
    QTest::newRow("into map without fields")
        << "extra.anything" << QStringList() << "extra.anything" << 2 << false << "-" << false;
    QTest::newRow("placeholder in free data") << "settings.{{k}}.x" << QStringList{"k=a.b"}
                                              << "settings.a.b.x" << 3 << false << "-" << false;
    QTest::newRow("into untyped dict item") << "blob.{{blobKey}}.x" << QStringList{"blobKey=k"}
                                            << "blob.k.x" << 3 << false << "-" << false;
    QTest::newRow("nested dict") << "matrix.{{matrixKey}}.{{matrixKeyChild}}"
                                 << QStringList{"matrixKey=a", "matrixKeyChild=b"} << "matrix.a.b"
                                 << 3 << true << "int" << false;
    QTest::newRow("recursion level 0 and 1")
        << "parameters.{{parameterKey}}.children.{{childKey0}}.children.{{childKey1}}.value"
        << QStringList{"parameterKey=p", "childKey0=c0", "childKey1=c1"}
        << "parameters.p.children.c0.children.c1.value" << 7 << false << "any" << false;
    {
        QStringList vars;
        const QString path = parameterPath(8, &vars) + QStringLiteral(".value");
        QTest::newRow("recursion at maxNestedDepth")
            << path << vars
            << "parameters.p.children.c0.children.c1.children.c2.children.c3.children.c4.children."
               "c5"
               ".children.c6.children.c7.value"
            << 19 << false << "any" << false;
    }
    {
        QStringList vars;
        const QString path = parameterPath(8, &vars) + QStringLiteral(".children");
        QTest::newRow("deepest children field") << path << vars
                                                << "parameters.p.children.c0.children.c1.children."
                                                   "c2.children.c3.children.c4.children.c5"
                                                   ".children.c6.children.c7.children"
                                                << 19 << false << "dict of Parameter" << false;
    }
    {
        QString path = QStringLiteral("settings");
        QString shown = path;
        for (int i = 1; i < 32; ++i) {
            path += QStringLiteral(".k");
            shown += QStringLiteral(".k");
        }
        QTest::newRow("32 elements")
            << path << QStringList() << shown << 32 << false << "-" << false;
    }
}

void TstFieldPath::resolve()
{
    QFETCH(QString, path);
    QFETCH(QStringList, variables);
    QFETCH(QString, display);
    QFETCH(int, elements);
    QFETCH(bool, targetIsItem);
    QFETCH(QString, target);
    QFETCH(bool, isHashKey);

    auto resolved = resolvePath(*m_users, path, variablesOf(variables));
    QVERIFY2(resolved.ok(), qPrintable(resolved ? QString() : resolved.error().toString()));
    QCOMPARE(resolved->display(), display);
    QCOMPARE(int(resolved->elements.size()), elements);
    QCOMPARE(int(resolved->specs.size()), elements);
    QCOMPARE(int(resolved->containerDefaults.size()), elements - 1);
    QCOMPARE(resolved->targetIsItem, targetIsItem);
    if (target == u"-")
        QVERIFY(resolved->target == nullptr);
    else
        QVERIFY(resolved->target != nullptr && resolved->target->typeDescription() == target);
    QCOMPARE(resolved->isHashKey(*m_users), isHashKey);
}

void TstFieldPath::errors_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QString>("fragment");

    QTest::newRow("empty path") << "" << QStringList() << "The path is empty";
    QTest::newRow("unknown root field") << "nope" << QStringList() << "has no field \"nope\"";
    QTest::newRow("unknown nested field lists fields")
        << "metadata.nope" << QStringList()
        << "\"metadata\" has no field \"nope\". Its fields are accountCreationTimestamp, "
           "lastConnectionTimestamp and plan";
    QTest::newRow("unknown field of an item")
        << "tokens.{{tokenId}}.nope" << QStringList{"tokenId=t1"}
        << "\"tokens.t1\" has no field \"nope\"";
    QTest::newRow("bracket index") << "logs[3]" << QStringList() << "not [n]";
    // Issue 11: under `any` a name with brackets created a key literally named "a[999999999]".
    QTest::newRow("bracketsInANameUnderAnyRefused")
        << "settings.a[999999999]" << QStringList() << "contains \"[\", which field paths reserve";
    QTest::newRow("closing bracket in a name under any")
        << "settings.x.a]" << QStringList() << "contains \"]\"";
    QTest::newRow("bar in a name under any") << "settings.a|b" << QStringList() << "contains \"|\"";
    QTest::newRow("bracket in a dict item name")
        << "tokens.{{tokenId}}.scope[0]" << QStringList{"tokenId=t1"} << "not [n]";
    // Issue 11: --var k= created a dict key "".
    QTest::newRow("emptyVariableRefused dict key")
        << "tokens.{{tokenId}}" << QStringList{"tokenId="}
        << "The value of {{tokenId}} is empty; a map key cannot be empty";
    QTest::newRow("emptyVariableRefused under any")
        << "settings.{{k}}.x" << QStringList{"k="} << "The value of {{k}} is empty";
    QTest::newRow("emptyVariableRefused list index")
        << "logs.{{logIndex}}" << QStringList{"logIndex="} << "must be a list index";
    QTest::newRow("missing variable") << "tokens.{{tokenId}}.expirationTimestamp" << QStringList()
                                      << "needs a value for {{tokenId}}";
    QTest::newRow("wrong placeholder name")
        << "tokens.{{foo}}" << QStringList{"foo=t1"} << "addressed with {{tokenId}}, not {{foo}}";
    QTest::newRow("list index not a number")
        << "logs.{{logIndex}}" << QStringList{"logIndex=x"} << "must be a list index";
    QTest::newRow("negative list index")
        << "logs.{{logIndex}}" << QStringList{"logIndex=-1"} << "must be a list index";
    QTest::newRow("int dict key not a number")
        << "counters.{{counterId}}" << QStringList{"counterId=x"} << "must be an integer key";
    QTest::newRow("set item") << "tags.{{tagsIndex}}" << QStringList{"tagsIndex=0"}
                              << "Set items cannot be addressed";
    QTest::newRow("placeholder after a map")
        << "metadata.{{k}}" << QStringList{"k=x"} << "must follow a dict, list or set field";
    QTest::newRow("placeholder after a scalar")
        << "age.{{k}}" << QStringList{"k=x"} << "must follow a dict, list or set field";
    QTest::newRow("placeholder first")
        << "{{k}}.x" << QStringList{"k=x"} << "cannot start with a placeholder";
    QTest::newRow("name after a dict")
        << "tokens.expirationTimestamp" << QStringList() << "address its items with {{tokenId}}";
    QTest::newRow("name after a scalar") << "age.years" << QStringList() << "has no fields";
    QTest::newRow("multi-selector")
        << "metadata.(plan, lastConnectionTimestamp)" << QStringList() << "Multi-selectors";
    QTest::newRow("empty element") << "metadata..plan" << QStringList() << "empty element";
    QTest::newRow("trailing dot") << "metadata." << QStringList() << "empty element";
    QTest::newRow("single braces")
        << "tokens.{tokenId}" << QStringList{"tokenId=t1"} << "not a valid placeholder";
    QTest::newRow("unclosed placeholder")
        << "tokens.{{tokenId" << QStringList{"tokenId=t1"} << "not closed";
    QTest::newRow("placeholder not a whole element")
        << "tokens.{{tokenId}}x" << QStringList{"tokenId=t1"} << "whole element";
    QTest::newRow("wrong recursion level")
        << "parameters.{{parameterKey}}.children.{{childKey1}}"
        << QStringList{"parameterKey=p", "childKey1=c"} << "addressed with {{childKey0}}";
    QTest::newRow("recursion level name after dict")
        << "parameters.{{parameterKey}}.children.{{childKey0}}.children.value"
        << QStringList{"parameterKey=p", "childKey0=c"} << "address its items with {{childKey1}}";
    {
        QStringList vars;
        const QString path = parameterPath(9, &vars);
        QTest::newRow("recursion beyond maxNestedDepth")
            << path << vars << "nests deeper than maxNestedDepth 8 allows";
    }
    {
        QString path = QStringLiteral("settings");
        for (int i = 1; i < 33; ++i)
            path += QStringLiteral(".k");
        QTest::newRow("33 elements") << path << QStringList() << "33 elements; at most 32";
    }
}

void TstFieldPath::errors()
{
    QFETCH(QString, path);
    QFETCH(QStringList, variables);
    QFETCH(QString, fragment);

    auto resolved = resolvePath(*m_users, path, variablesOf(variables));
    QVERIFY2(!resolved.ok(), qPrintable(resolved ? resolved->display() : QString()));
    QVERIFY2(resolved.error().message.contains(fragment), qPrintable(resolved.error().message));
    QCOMPARE(resolved.error().kind, ErrorKind::Invalid);
    QCOMPARE(resolved.error().location, path);
}

void TstFieldPath::keyOnly_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QStringList>("keys"); // expected elements; "!fragment" for an error

    QTest::newRow("one key") << "anything" << QStringList() << QStringList{"anything"};
    QTest::newRow("literal keys") << "a.b.c" << QStringList() << QStringList{"a", "b", "c"};
    QTest::newRow("placeholder as map key")
        << "a.{{k}}.b" << QStringList{"k=x.y"} << QStringList{"a", "x.y", "b"};
    QTest::newRow("placeholder number is a key")
        << "a.{{i}}" << QStringList{"i=3"} << QStringList{"a", "3"};
    QTest::newRow("missing variable")
        << "a.{{k}}" << QStringList() << QStringList{"!needs a value for {{k}}"};
    QTest::newRow("multi-selector") << "(a, b)" << QStringList() << QStringList{"!Multi-selectors"};
    QTest::newRow("brackets refused")
        << "a.b[2]" << QStringList() << QStringList{"!contains \"[\", which field paths reserve"};
    QTest::newRow("empty variable refused")
        << "a.{{k}}" << QStringList{"k="} << QStringList{"!The value of {{k}} is empty"};
}

void TstFieldPath::keyOnly()
{
    QFETCH(QString, path);
    QFETCH(QStringList, variables);
    QFETCH(QStringList, keys);

    const TableModelPtr model =
        TableModel::keyOnly(QStringLiteral("things"), QStringLiteral("id"), FieldKind::Str);
    auto resolved = resolvePath(*model, path, variablesOf(variables));
    if (keys.front().startsWith(u'!')) {
        QVERIFY(!resolved.ok());
        QVERIFY2(resolved.error().message.contains(keys.front().mid(1)),
                 qPrintable(resolved.error().message));
        return;
    }
    QVERIFY2(resolved.ok(), qPrintable(resolved ? QString() : resolved.error().toString()));
    QCOMPARE(int(resolved->elements.size()), int(keys.size()));
    for (int i = 0; i < keys.size(); ++i) {
        QCOMPARE(resolved->elements[std::size_t(i)].key, keys[i]);
        QVERIFY(!resolved->elements[std::size_t(i)].isIndex());
    }
    QVERIFY(resolved->target == nullptr);
    QCOMPARE(int(resolved->containerDefaults.size()), int(keys.size()) - 1);
    for (const Value &d : resolved->containerDefaults)
        QCOMPARE(d, Value::map());
    QCOMPARE(resolved->isHashKey(*model), false);
    QVERIFY(resolvePath(*model, u"id")->isHashKey(*model));
}

void TstFieldPath::containerDefaults_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QList<Value>>("defaults");

    QTest::newRow("map field") << "metadata.plan" << QStringList() << QList<Value>{Value::map()};
    QTest::newRow("dict and its item")
        << "tokens.{{tokenId}}.expirationTimestamp" << QStringList{"tokenId=t"}
        << QList<Value>{Value::map(), Value::map()};
    QTest::newRow("list field") << "logs.{{logIndex}}" << QStringList{"logIndex=0"}
                                << QList<Value>{Value::list()};
    QTest::newRow("list of maps") << "events.{{eventsIndex}}.name" << QStringList{"eventsIndex=1"}
                                  << QList<Value>{Value::list(), Value::map()};
    QTest::newRow("map default") << "prefs.theme" << QStringList()
                                 << QList<Value>{
                                        Value::map({{QStringLiteral("theme"),
                                                     Value::string(QStringLiteral("dark"))}})};
    QTest::newRow("list default") << "history.{{historyIndex}}" << QStringList{"historyIndex=0"}
                                  << QList<Value>{Value::list({Value::integer(1)})};
    QTest::newRow("any field") << "settings.a.b" << QStringList()
                               << QList<Value>{Value::map(), Value::map()};
    QTest::newRow("single element") << "username" << QStringList() << QList<Value>{};
}

void TstFieldPath::containerDefaults()
{
    QFETCH(QString, path);
    QFETCH(QStringList, variables);
    QFETCH(QList<Value>, defaults);

    auto resolved = resolvePath(*m_users, path, variablesOf(variables));
    QVERIFY2(resolved.ok(), qPrintable(resolved ? QString() : resolved.error().toString()));
    QCOMPARE(int(resolved->containerDefaults.size()), int(defaults.size()));
    for (int i = 0; i < defaults.size(); ++i)
        QVERIFY2(resolved->containerDefaults[std::size_t(i)] == defaults[i],
                 qPrintable(QString::number(i)));
}

void TstFieldPath::listIndexElement()
{
    auto resolved = resolvePath(*m_users, u"events.{{eventsIndex}}.name",
                                {{QStringLiteral("eventsIndex"), QStringLiteral("12")}});
    QVERIFY(resolved.ok());
    QCOMPARE(resolved->elements[0].key, QStringLiteral("events"));
    QVERIFY(!resolved->elements[0].isIndex());
    QVERIFY(resolved->elements[1].isIndex());
    QCOMPARE(resolved->elements[1].index, 12);
    QVERIFY(resolved->elements[1].key.isEmpty());
    QCOMPARE(resolved->elements[2].key, QStringLiteral("name"));
    QVERIFY(resolved->target ==
            m_users->namedModel(QStringLiteral("Event"))->field(QStringLiteral("name")));
}

void TstFieldPath::display()
{
    ResolvedPath path;
    QCOMPARE(path.display(), QString());
    path.elements = {PathElement{QStringLiteral("logs"), -1}, PathElement{{}, 3},
                     PathElement{{}, 0}, PathElement{QStringLiteral("a.b"), -1}};
    QCOMPARE(path.display(), QStringLiteral("logs[3][0].a.b"));
    path.elements = {PathElement{QStringLiteral("userId"), -1}};
    QVERIFY(path.isHashKey(*m_users));
    path.elements = {PathElement{QStringLiteral("userId"), -1},
                     PathElement{QStringLiteral("x"), -1}};
    QVERIFY(!path.isHashKey(*m_users));
}

QTEST_APPLESS_MAIN(TstFieldPath)
#include "tst_fieldpath.moc"

void TstFieldPath::inferredModelAcceptsUnknownPaths()
{
    // A model inferred from a sample does not know every attribute: paths it does not declare
    // resolve as free-form data instead of being refused; declared ones keep their spec.
    const TableModelPtr inferred = TableModel::advisoryCopy(*m_users);
    QVERIFY(!resolvePath(*m_users, u"neverSampled.deep").ok());
    auto free = resolvePath(*inferred, u"neverSampled.deep");
    QVERIFY2(free.ok(), qPrintable(free ? QString() : free.error().toString()));
    QCOMPARE(free->elements.size(), std::size_t(2));
    QCOMPARE(free->elements[0].key, QStringLiteral("neverSampled"));
    auto declared = resolvePath(*inferred, u"events.{{eventsIndex}}.name",
                                {{QStringLiteral("eventsIndex"), QStringLiteral("0")}});
    QVERIFY(declared.ok());
    QVERIFY(declared->target);
    QCOMPARE(declared->target->name, QStringLiteral("name"));
}
