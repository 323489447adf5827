// The StructNoSQL Python model reader: every model example of the documentation (and of the
// library's own tests) read into the model file StructDesk would write by hand, and every file
// it cannot read refused with the line and the reason.

#include "model/schema/python/pythonmodel.h"
#include "model/schema/tablemodel.h"
#include "model/schema/validator.h"

#include <QFile>
#include <QtTest>

#include <nlohmann/json.hpp>

using namespace Qt::StringLiterals;

namespace {

const QString kDir = QStringLiteral(STRUCTDESK_TESTS_DIR "/data/python/");

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// The canonical text of a model file (TableModel::toJson), for comparisons.
QByteArray canonical(const QByteArray &modelJson)
{
    auto model = TableModel::fromJson(modelJson, u"expected"_s);
    if (!model)
        return "invalid expected model: " + model.error().toString().toUtf8();
    return (*model)->toJson();
}

} // namespace

class TstPythonModel : public QObject
{
    Q_OBJECT

private slots:
    void usersTable();
    void docsExamples_data();
    void docsExamples();
    void libraryExamples_data();
    void libraryExamples();
    void tableClassChoice();
    void readModelValidates();
    void errors_data();
    void errors();
    void missingFile();
};

void TstPythonModel::usersTable()
{
    auto read = PythonModel::readFile(kDir + u"users_table.py"_s);
    QVERIFY2(read.ok(), qPrintable(read ? QString() : read.error().toString()));
    QCOMPARE(read->tableClass, u"UsersTableModel"_s);
    QCOMPARE(read->modelJson, canonical(readAll(kDir + u"users_table.expected.json"_s)));
    QVERIFY2(read->notes.isEmpty(), qPrintable(read->notes.join(u'\n')));
    const TableModel &m = *read->model;
    QCOMPARE(m.tableName(), u"accounts-data"_s);
    QCOMPARE(m.hashKey(), u"userId"_s);
    QCOMPARE(m.secondaryIndexes().size(), std::size_t(1));
    QCOMPARE(m.secondaryIndexes().front().hashKey, u"username"_s);
    // The custom name is the stored name; the Python attribute name is not a field.
    QVERIFY(m.root().field(u"emailAddress"_s));
    QVERIFY(!m.root().field(u"email"_s));
    // The recursive model: Dict[str, ActiveSelf] is a dict of the model itself.
    const MapModel *parameter = m.namedModel(u"ParameterModel"_s);
    QVERIFY(parameter);
    const FieldSpec *children = parameter->field(u"children"_s);
    QVERIFY(children);
    QCOMPARE(children->keyName, u"childKey{i}"_s);
    QCOMPARE(children->maxNestedDepth, 8);
    QCOMPARE(children->type(FieldKind::Dict)->items->firstType()->model, parameter);
}

void TstPythonModel::docsExamples_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("expected"); // the model file, fields and models only
    const QByteArray key = R"("userId":{"type":"str","required":true})";
    QTest::newRow("1 primary key") << u"docs/s01_primary_key.py"_s << "{" + key + "}";
    QTest::newRow("2 required") << u"docs/s02_required_fields.py"_s
                                << "{" + key + R"(,"username":{"type":"str","required":true}})";
    QTest::newRow("3 several types")
        << u"docs/s03_multiple_types.py"_s
        << "{" + key + R"(,"age":{"type":["int","float","str"],"required":true}})";
    QTest::newRow("4 optional") << u"docs/s04_non_required.py"_s
                                << "{" + key + R"(,"nextReminderTimestamp":{"type":"int"}})";
    QTest::newRow("5 any") << u"docs/s05_any.py"_s
                           << "{" + key +
                                  R"(,"requiredUserStatus":{"type":"any","required":true},)"
                                  R"("optionalMetadata":{"type":"any"}})";
    QTest::newRow("6 map")
        << u"docs/s06_structured_map.py"_s
        << "{" + key +
               R"(,"metadata":{"type":"map","model":"MetadataModel"}},)"
               R"("models":{"MetadataModel":{"fields":{"accountCreationTimestamp":)"
               R"({"type":"int","required":true},"lastConnectionTimestamp":{"type":"int"}}}})";
    QTest::newRow("7 dict")
        << u"docs/s07_structured_dict.py"_s
        << "{" + key +
               R"(,"tokens":{"type":"dict","keyName":"tokenId","items":{"type":"map",)"
               R"("model":"AuthTokenModel"}}},"models":{"AuthTokenModel":{"fields":)"
               R"({"expirationTimestamp":{"type":"int","required":true}}}})";
    QTest::newRow("8 nested optional")
        << u"docs/s08_nested_non_required.py"_s
        << "{" + key +
               R"(,"tokens":{"type":"dict","keyName":"tokenId","items":)"
               R"({"type":"map","model":"AuthTokenModel"}}},"models":)"
               R"({"AuthTokenModel":{"fields":{"expirationTimestamp":)"
               R"({"type":"int","required":true},"tokenMetadata":{"type":"dict"}}}})";
    QTest::newRow("9 nested dict")
        << u"docs/s09_nested_structured_dict.py"_s
        << "{" + key +
               R"(,"tokens":{"type":"dict","keyName":"tokenId","items":{"type":"map","model":"AuthTokenModel"}}},)"
               R"("models":{"AuthTokenModel":{"fields":{"expirationTimestamp":{"type":"int","required":true},)"
               R"("tokenPermissions":{"type":"dict","keyName":"permissionKey","items":{"type":"map",)"
               R"("model":"PermissionMetadataModel"}}}},"PermissionMetadataModel":{"fields":)"
               R"({"permissionGrantedBy":{"type":"str","required":true},)"
               R"("permissionExpirationTimestamp":{"type":"int"}}}})";
    QTest::newRow("10 primitive dict")
        << u"docs/s10_primitive_dict.py"_s
        << "{" + key +
               R"(,"orderedLogMessages":{"type":"dict","keyName":"logId","items":["str","dict"]}})";
    QTest::newRow("11 unvalidated dict")
        << u"docs/s11_unvalidated_dict.py"_s
        << "{" + key +
               R"(,"primaryOrderedLogMessages":{"type":"dict","keyName":"logId"},)"
               R"("secondaryOrderedLogMessages":{"type":"dict","keyName":"logId"}})";
    QTest::newRow("11 structured list")
        << u"docs/s11b_structured_list.py"_s
        << "{" + key +
               R"(,"orderedFriends":{"type":"list","keyName":"friendIndex","items":{"type":"map","model":)"
               R"("FriendModel"}}},"models":{"FriendModel":{"fields":{"friendId":{"type":"str","required":true},)"
               R"("friendsSinceTimestamp":{"type":"int","required":true}}}})";
    QTest::newRow("12 nested list")
        << u"docs/s12_nested_structured_list.py"_s
        << "{" + key +
               R"(,"orderedFriends":{"type":"list","keyName":"friendIndex","items":{"type":"map","model":)"
               R"("FriendModel"}}},"models":{"FriendModel":{"fields":{"friendId":{"type":"str","required":true},)"
               R"("friendsSinceTimestamp":{"type":"int","required":true},"sharedFriends":{"type":"list",)"
               R"("keyName":"sharedFriendIndex","items":{"type":"map","model":"SharedInterestModel"}}}},)"
               R"("SharedInterestModel":{"fields":{"friendId":{"type":"str","required":true}}}})";
    QTest::newRow("13 primitive list")
        << u"docs/s13_primitive_list.py"_s
        << "{" + key +
               R"(,"orderedLogMessages":{"type":"list","keyName":"logIndex","items":["str","dict"]}})";
    QTest::newRow("14 unvalidated list")
        << u"docs/s14_unvalidated_list.py"_s
        << "{" + key +
               R"(,"primaryOrderedLogMessages":{"type":"list","keyName":"logIndex"},)"
               R"("secondaryOrderedLogMessages":{"type":"list","keyName":"logIndex"}})";
    QTest::newRow("15 recursive")
        << u"docs/s15_recursive_nesting.py"_s
        << "{" + key +
               R"(,"parameters":{"type":"dict","keyName":"parameterKey","items":{"type":"map",)"
               R"("model":"ParameterModel"}}},"models":{"ParameterModel":{"fields":{"value":{"type":"any"},)"
               R"("childParameter":{"type":"map","model":"ParameterModel"},"childrenParameters":{"type":)"
               R"("dict","keyName":"childParameterKey{i}","maxNestedDepth":8,"items":{"type":"map",)"
               R"("model":"ParameterModel"}}}}})";
}

void TstPythonModel::docsExamples()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, expected);
    auto read = PythonModel::readFile(kDir + file);
    QVERIFY2(read.ok(), qPrintable(read ? QString() : read.error().toString()));
    // Without a PrimaryIndex the first field is the key, and a note says so.
    QCOMPARE(read->notes.size(), 1);
    QVERIFY(read->notes.front().contains(u"first field"_s));
    QByteArray document =
        R"({"table":"UsersTableModel","primaryIndex":{"hashKey":"userId","hashKeyType":"str"},"fields":)";
    // `expected` is the fields object, optionally followed by ,"models":{...}
    document += expected + "}";
    QCOMPARE(read->modelJson, canonical(document));
}

void TstPythonModel::libraryExamples_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("tableClass");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("recursive nesting, full example")
        << u"docs/recursive_nesting_full.py"_s << QString()
        << QByteArray(
               R"({"table":"accounts-data","primaryIndex":{"hashKey":"userId","hashKeyType":"str"},)"
               R"("fields":{"userId":{"type":"str","required":true},"parameters":{"type":"dict","keyName":)"
               R"("parameterKey","items":{"type":"map","model":"ParameterModel"}}},"models":{"ParameterModel":)"
               R"({"fields":{"childParameters":{"type":"dict","keyName":"childParameterKey{i}",)"
               R"("maxNestedDepth":8,"items":{"type":"map","model":"ParameterModel"}}}}}})");
    QTest::newRow("custom field name, inherited fields")
        << u"library/custom_field_name.py"_s << u"DynamoDBTableModel"_s
        << QByteArray(
               R"({"table":"DynamoDBTableModel","primaryIndex":{"hashKey":"simpleField","hashKeyType":"str"},)"
               R"("fields":{"simpleField":{"type":"str","required":true}}})");
    QTest::newRow("playground clients with GSIs")
        << u"library/playground.py"_s << QString()
        << QByteArray(
               R"({"table":"structnosql-playground","primaryIndex":{"hashKey":"accountId","hashKeyType":"str"},)"
               R"("secondaryIndexes":[{"hashKey":"username","hashKeyType":"str","projection":"ALL"},)"
               R"({"hashKey":"email","hashKeyType":"str","projection":"ALL"}],)"
               R"("fields":{"accountId":{"type":"str","required":true},"username":{"type":"str"},)"
               R"("email":{"type":"str"},"type":{"type":"str"},"container":{"type":"dict","keyName":"itemId",)"
               R"("items":{"type":"map","model":"ContainerItemModel"}},"history":{"type":"list","items":"int"}},)"
               R"("models":{"ContainerItemModel":{"fields":{"name":{"type":"str","required":true},)"
               R"("metadata":{"type":"dict","keyName":"metaItemId","items":{"type":"dict","items":"int"}}}}}})");
}

void TstPythonModel::libraryExamples()
{
    QFETCH(QString, file);
    QFETCH(QString, tableClass);
    QFETCH(QByteArray, expected);
    PythonModel::Options options;
    options.tableClass = tableClass;
    auto read = PythonModel::readFile(kDir + file, options);
    if (file.contains(u"custom_field_name"_s)) {
        // The first field of DynamoDBTableModel is inherited and optional: it cannot be the key.
        QVERIFY(!read.ok());
        QCOMPARE(read.error().location, kDir + file + u":7"_s);
        QVERIFY2(read.error().message.contains(u"hash key"_s), qPrintable(read.error().toString()));
        return;
    }
    QVERIFY2(read.ok(), qPrintable(read ? QString() : read.error().toString()));
    QCOMPARE(read->modelJson, canonical(expected));
}

void TstPythonModel::tableClassChoice()
{
    // Several TableDataModel classes: the caller picks one; the custom name and the inherited
    // fields come along (base fields first).
    const QByteArray source = R"(from StructNoSQL import TableDataModel, BaseField, PrimaryIndex

class BaseTableModel(TableDataModel):
    simpleField = BaseField(field_type=str, required=False)
    fieldWithCustomName = BaseField(custom_field_name='field%/!$', field_type=str, required=False)

class DynamoDBTableModel(BaseTableModel):
    accountId = BaseField(field_type=str, required=True)

class OtherTableModel(BaseTableModel):
    otherId = BaseField(field_type=int, required=True)

index = PrimaryIndex(hash_key_name='accountId', hash_key_variable_python_type=str)
)";
    auto refused = PythonModel::read(source, u"models.py"_s);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().message.contains(u"--table-class"_s),
             qPrintable(refused.error().toString()));
    QVERIFY(
        refused.error().message.contains(u"BaseTableModel, DynamoDBTableModel, OtherTableModel"_s));

    PythonModel::Options options;
    options.tableClass = u"DynamoDBTableModel"_s;
    auto read = PythonModel::read(source, u"models.py"_s, options);
    QVERIFY2(read.ok(), qPrintable(read ? QString() : read.error().toString()));
    QCOMPARE(
        read->modelJson,
        canonical(
            R"({"table":"DynamoDBTableModel","primaryIndex":{"hashKey":"accountId","hashKeyType":"str"},)"
            R"("fields":{"simpleField":{"type":"str"},"field%/!$":{"type":"str"},)"
            R"("accountId":{"type":"str","required":true}}})"));

    options.tableClass = u"Nope"_s;
    auto unknown = PythonModel::read(source, u"models.py"_s, options);
    QVERIFY(!unknown.ok());
    QVERIFY(unknown.error().message.contains(u"no TableDataModel class Nope"_s));
}

void TstPythonModel::readModelValidates()
{
    // The model read validates records as the documentation promises.
    auto read = PythonModel::readFile(kDir + u"users_table.py"_s);
    QVERIFY(read.ok());
    const Validator validator(*read->model);
    Value::Map record;
    record.insert(u"userId"_s, Value::string(u"u1"_s));
    record.insert(u"username"_s, Value::string(u"Bob"_s));
    record.insert(u"age"_s, Value::string(u"unknown"_s));
    Value::Map token;
    token.insert(u"expirationTimestamp"_s, Value::integer(5));
    record.insert(u"tokens"_s, Value::map({{u"t1"_s, Value::map(token)}}));
    QVERIFY(validator.isValidRecord(Value::map(record)));
    token.insert(u"expirationTimestamp"_s, Value::string(u"soon"_s));
    record.insert(u"tokens"_s, Value::map({{u"t1"_s, Value::map(token)}}));
    const Problems problems = validator.validateRecord(Value::map(record));
    QCOMPARE(problems.size(), std::size_t(1));
    QCOMPARE(problems.front().path, u"tokens.t1.expirationTimestamp"_s);
}

void TstPythonModel::errors_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");
    const QByteArray head = "from StructNoSQL import TableDataModel, BaseField, MapModel\n"
                            "from typing import Dict, List, Set, Optional\n\n"
                            "class UsersTableModel(TableDataModel):\n"
                            "    userId = BaseField(field_type=str, required=True)\n";
    QTest::newRow("Optional")
        << head + "    nickname = BaseField(field_type=Optional[str], required=False)\n"
        << 6 << u"field_type=Optional[str] is not understood"_s;
    QTest::newRow("PEP 604 union") << head + "    nickname = BaseField(field_type=str | None)\n"
                                   << 6 << u"field_type=str | None is not understood"_s;
    QTest::newRow("untyped set") << head + "    tags = BaseField(field_type=set)\n"
                                 << 6 << u"field_type=set is not understood (an untyped set"_s;
    QTest::newRow("set of bool") << head + "    flags = BaseField(field_type=Set[bool])\n"
                                 << 6 << u"field_type=Set[bool] is not understood"_s;
    QTest::newRow("list in list") << head + "    grid = BaseField(field_type=List[List[int]])\n"
                                  << 6
                                  << u"a List or Set inside a Dict or List is not implemented"_s;
    QTest::newRow("dict key type") << head + "    d = BaseField(field_type=Dict[bool, int])\n"
                                   << 6 << u"a Dict key type is str, int or float"_s;
    QTest::newRow("unknown class") << head + "    meta = BaseField(field_type=MetadataModel)\n"
                                   << 6 << u"field_type=MetadataModel is not understood"_s;
    QTest::newRow("class used before it is defined")
        << head + "    meta = BaseField(field_type=MetadataModel)\n    class "
                  "MetadataModel(MapModel):\n"
                  "        created = BaseField(field_type=int)\n"
        << 6 << u"defined before this line"_s;
    QTest::newRow("ActiveSelf at the root")
        << head + "    me = BaseField(field_type=Dict[str, ActiveSelf])\n"
        << 6 << u"ActiveSelf can only be used inside a MapModel"_s;
    QTest::newRow("name=") << head + "    username = BaseField(name='username', field_type=str)\n"
                           << 6 << u"BaseField has no name parameter"_s;
    QTest::newRow("unknown parameter")
        << head + "    username = BaseField(field_type=str, optional=True)\n"
        << 6 << u"BaseField has no parameter optional"_s;
    QTest::newRow("required not a bool")
        << head + "    username = BaseField(field_type=str, required=1)\n"
        << 6 << u"required takes True or False"_s;
    QTest::newRow("no field_type") << head + "    username = BaseField(required=True)\n"
                                   << 6 << u"has no field_type"_s;
    QTest::newRow("key_name on a scalar")
        << head + "    username = BaseField(field_type=str, key_name='k')\n"
        << 6 << u"key_name is only for Dict, List and Set fields"_s;
    QTest::newRow("key_name with several types")
        << head + "    logs = BaseField(field_type=(dict, list), key_name='k')\n"
        << 6 << u"multiple dictionaries not supported"_s;
    QTest::newRow("max_nested_depth above 32")
        << head + "    d = BaseField(field_type=Dict[str, int], max_nested_depth=40)\n"
        << 6 << u"max_nested_depth=40 is above 32"_s;
    QTest::newRow("transformers")
        << head + "    u = BaseField(field_type=str, write_transformers=[str.lower])\n"
        << 6 << u"write_transformers are Python functions"_s;
    QTest::newRow("not_modifiable")
        << head + "    u = BaseField(field_type=str, not_modifiable=True)\n"
        << 6 << u"not_modifiable=True is not implemented"_s;
    QTest::newRow("field with a restricted name")
        << head + "    u = BaseField(field_type=str, custom_field_name='a[0]')\n"
        << 6 << u"reserves"_s;
    QTest::newRow("a constant in a model class")
        << head + "    LIMIT = 5\n"
        << 6 << u"LIMIT = 5 is not understood in the model class UsersTableModel"_s;
    QTest::newRow("code in a model class") << head + "    print('hello')\n"
                                           << 6 << u"is not understood in the model class"_s;
    QTest::newRow("__setup__")
        << head + "    @classmethod\n    def __setup__(cls):\n        return {}\n"
        << 7 << u"__setup__ adds fields with Python code"_s;
    QTest::newRow("unknown base class")
        << QByteArray(
               "from StructNoSQL import TableDataModel, BaseField\nfrom mixins import Audited\n\n"
               "class UsersTableModel(TableDataModel, Audited):\n    userId = "
               "BaseField(field_type=str, required=True)\n")
        << 4 << u"also derives from Audited"_s;
    QTest::newRow("unexpected indentation") << head + "        stray = BaseField(field_type=int)\n"
                                            << 6 << u"unexpected indentation"_s;
    QTest::newRow("string not closed")
        << head + "    a = BaseField(field_type=str, key_name='oops)\n"
        << 6 << u"a string is not closed"_s;
    QTest::newRow("required None in a tuple")
        << head + "    maybe = BaseField(field_type=(str, NoneType), required=True)\n"
        << 6 << u"a required field cannot be None"_s;
    QTest::newRow("key not required")
        << QByteArray(
               "from StructNoSQL import TableDataModel, BaseField, PrimaryIndex\n\n"
               "class UsersTableModel(TableDataModel):\n    userId = BaseField(field_type=str)\n\n"
               "index = PrimaryIndex(hash_key_name='userId', hash_key_variable_python_type=str)\n")
        << 4 << u"must be declared with required=True"_s;
    QTest::newRow("key of another type")
        << QByteArray(
               "from StructNoSQL import TableDataModel, BaseField, PrimaryIndex\n\n"
               "class UsersTableModel(TableDataModel):\n    userId = BaseField(field_type=int, "
               "required=True)\n\n"
               "index = PrimaryIndex(hash_key_name='userId', hash_key_variable_python_type=str)\n")
        << 4 << u"the PrimaryIndex says str"_s;
    QTest::newRow("index key type")
        << head + "\nindex = PrimaryIndex(hash_key_name='userId', "
                  "hash_key_variable_python_type=bytes)\n"
        << 7 << u"hash_key_variable_python_type=bytes is not understood"_s;
    QTest::newRow("index arguments")
        << head + "\nindex = PrimaryIndex(hash_key_name=key_from_settings())\n"
        << 7 << u"hash_key_name=key_from_settings() is not understood"_s;
    QTest::newRow("GSI projection")
        << head + "\ngsi = GlobalSecondaryIndex(hash_key_name='u', projection_type='SOME')\n"
        << 7 << u"projection_type=\"SOME\" is not one of"_s;
    QTest::newRow("no table model")
        << QByteArray("from StructNoSQL import MapModel, BaseField\n\nclass M(MapModel):\n    a = "
                      "BaseField(field_type=int)\n")
        << 0 << u"no class derives from TableDataModel"_s;
}

void TstPythonModel::errors()
{
    QFETCH(QByteArray, source);
    QFETCH(int, line);
    QFETCH(QString, message);
    auto read = PythonModel::read(source, u"models.py"_s);
    QVERIFY2(!read.ok(), read ? read->modelJson.constData() : "");
    QCOMPARE(read.error().kind, ErrorKind::Invalid);
    QCOMPARE(read.error().location, line > 0 ? u"models.py:%1"_s.arg(line) : u"models.py"_s);
    QVERIFY2(read.error().message.contains(message), qPrintable(read.error().toString()));
}

void TstPythonModel::missingFile()
{
    auto read = PythonModel::readFile(kDir + u"nope.py"_s);
    QVERIFY(!read.ok());
    QCOMPARE(read.error().kind, ErrorKind::NotFound);

    // The two documentation pages that Python (or StructNoSQL 2) refuses: refused with the line.
    auto first = PythonModel::readFile(kDir + u"docs/creating_your_first_table.py"_s);
    QVERIFY(!first.ok());
    QCOMPARE(first.error().location, kDir + u"docs/creating_your_first_table.py:6"_s);
    QVERIFY(first.error().message.contains(u"name='userId'"_s));
    auto indented = PythonModel::readFile(kDir + u"docs/recursive_nesting_depth_limit.py"_s);
    QVERIFY(!indented.ok());
    QCOMPARE(indented.error().location, kDir + u"docs/recursive_nesting_depth_limit.py:8"_s);
}

QTEST_APPLESS_MAIN(TstPythonModel)
#include "tst_pythonmodel.moc"
