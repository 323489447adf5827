#pragma once

#include "model/core/result.h"
#include "model/schema/tablemodel.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

/// A table model read from a StructNoSQL Python model file.
///
/// The reader is a small, careful parser of the Python subset model files use, not an
/// interpreter: it never runs the file. It reads
/// - classes deriving from TableDataModel and MapModel, nested or not, inherited fields
///   included (base fields first, as Python's MRO has them);
/// - `name = BaseField(field_type=..., required=..., key_name=..., max_nested_depth=...,
///   custom_default_value=..., custom_field_name=..., not_modifiable=False)`;
/// - field types str, int, float, bool, Decimal, bytes, Any, dict, list, tuples of types,
///   Dict[K, V], List[V], Set[P], MapModel classes (names resolved as Python resolves them:
///   the class body first, then the module), and ActiveSelf inside a MapModel (the model
///   itself: Dict[str, ActiveSelf], List[ActiveSelf] or bare, with `{i}` key names);
/// - PrimaryIndex(...) and GlobalSecondaryIndex(...) calls anywhere in the file (in a table
///   client's __init__, say), and `table_name=` next to `data_model=` for the table's name.
/// Imports, comments, docstrings and other code are skipped. Anything inside a model class or
/// a BaseField or index call that it cannot read exactly is an error naming the line
/// ("models.py:14: field_type=Optional[str] is not understood"), never a guess.
///
/// Without a PrimaryIndex call, the hash key is the table class's first field, as the
/// StructNoSQL documentation tells users to declare it (a note says so).
class PythonModel
{
public:
    struct Options
    {
        /// The TableDataModel class to read when several derive from it.
        QString tableClass;
    };

    /// Reads a Python model file; errors name "FILE:LINE".
    static Result<PythonModel> readFile(const QString &path, const Options &options = {});
    /// Reads Python source; `fileName` names it in errors.
    static Result<PythonModel> read(const QByteArray &source, const QString &fileName,
                                    const Options &options = {});

    TableModelPtr model;  ///< the model, built through the model file format
    QByteArray modelJson; ///< the table model file (TableModel::toJson())
    QString tableClass;   ///< the class it was read from
    QStringList notes;    ///< choices made that the user should know about
};
