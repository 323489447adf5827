#pragma once

#include "model/core/value.h"
#include "model/schema/celledit.h"
#include "model/schema/tablemodel.h"
#include "model/schema/validator.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QVBoxLayout;
class ValueEditor;

/// The editor of one field of a record (or of a dict or list item, or of the whole record),
/// built from its FieldSpec: a text field for str, exact-number fields for int, float and
/// decimal, a check box for bool, base64/hex text for bytes, a nested group for a map with
/// fields, a key/value table for a dict, a list editor, a set editor, a JSON editor for `any`
/// and maps without fields, and a type chooser when the field accepts several types.
///
/// A field is either set (it gives a Value) or not set (the attribute is left out of the
/// record), which is shown as "not set" and is never the same as "", 0 or null. Optional fields
/// have a "set" check box; typing into a text field sets it, erasing a number or JSON text (or
/// Backspace in an empty text field, Delete on a check box) leaves it unset again. Required
/// fields have no check box; while unset they are missing.
///
/// Object names follow the field path (`metadata.accountCreationTimestamp`, `logs[1]`,
/// `tokens.t1.scope`): the editor is "editor:<path>", its input "field:<path>", its set check
/// box "set:<path>", its type chooser "type:<path>", the problems under it "problem:<path>".
class FieldEditor : public QWidget
{
    Q_OBJECT

public:
    enum class Role {
        Field,  ///< a declared field of a map (optional unless required)
        Key,    ///< the table's hash key field
        Item,   ///< a dict or list item: always set
        Root,   ///< the whole record: always set
        Extras, ///< attributes of a map that its model does not declare, as one JSON object
    };

    /// `spec` nullptr (or a spec without types): the value is free JSON.
    FieldEditor(const FieldSpec *spec, Role role, const QString &path, QWidget *parent = nullptr);
    ~FieldEditor() override;
    /// The editor of a whole record of a table (Role::Root): a form of its fields with the key
    /// first, or a JSON editor for tables without a model (TableModel::declaresFields false).
    static FieldEditor *forRecord(const TableModel &model, QWidget *parent = nullptr);

    const FieldSpec *spec() const { return m_spec; }
    Role role() const { return m_role; }
    /// The field path, in the validator's syntax (`tokens.t1.expirationTimestamp`, `logs[0]`).
    QString path() const { return m_path; }
    /// Moves the editor to another path (a renamed dict key, a moved list item).
    void setPath(const QString &path);
    /// Optional fields may be left unset; required fields, keys, items and the root may not.
    bool isOptional() const;

    bool isSet() const { return m_set; }
    /// The value, or nullopt when unset. A set field whose text cannot be read (see
    /// collectInputProblems) gives null.
    std::optional<Value> value() const;
    /// Shows a value; nullopt unsets the field. A value of a type the field does not accept is
    /// kept as it is (shown as JSON, "as stored") so that nothing is lost, and flagged.
    void setValue(const std::optional<Value> &value);
    /// Makes the editor read-only (the key in Edit mode).
    void setReadOnly(bool readOnly);
    bool isReadOnly() const { return m_readOnly; }
    /// Overrides the tooltip of the input (e.g. why it is read-only).
    void setInputToolTip(const QString &text);

    /// Problems of what was typed, which the validator cannot see (a number that is not one,
    /// JSON with a syntax error, two dict items with one key), with their paths; nested
    /// editors included.
    void collectInputProblems(Problems &out) const;
    /// This editor and every nested one, outermost first.
    void collectEditors(QList<FieldEditor *> &out);
    /// The widgets that take focus, in visual order (for the tab order).
    void collectFocusChain(QList<QWidget *> &out) const;
    /// How much of a problem's path this editor covers: the length of its own path when the
    /// problem is about it or inside it, -1 when not. Problems go to the deepest editor.
    int coverage(const QString &problemPath) const;
    /// Shows problems under the editor (blocking ones in red, notes in grey); empty hides them.
    void setProblems(const QStringList &blocking, const QStringList &notes = {});
    /// The problems shown under the editor, blocking ones first.
    QStringList problems() const { return m_blocking + m_notes; }
    /// The widget that should get the focus for this field.
    QWidget *focusTarget() const;
    /// The accepted type currently chosen (nullptr: the value as stored, or free JSON).
    const FieldType *currentType() const;
    /// How many times this editor's spec occurs among its enclosing editors (the recursion
    /// level of a recursive model, for "{i}" key names).
    int recursionLevel() const;
    /// A short name of an accepted type for the type chooser ("int", "map (AuthToken)").
    static QString describeType(const FieldType &type);

    // Called by the value editors.
    /// The user typed or chose something: the field becomes set.
    void userEdited();
    /// The user erased the field's content (or pressed Backspace in an empty text field):
    /// an optional field becomes unset.
    void userCleared();
    /// Nested editors were added or removed.
    void notifyStructureChanged();

signals:
    /// The user changed the value (typing, choosing, adding or removing items).
    void edited();
    /// Nested editors were added or removed, or paths changed: tab order and names change.
    void structureChanged();

private:
    FieldEditor(const FieldSpec *spec, Role role, const QString &path, QWidget *parent,
                const QString &hashKey);

    struct Choice
    {
        const FieldType *type = nullptr; ///< nullptr: JSON (free, or the value as stored)
        QString label;
        bool asStored = false;
    };

    bool alwaysSet() const;
    void buildChoices();
    int choiceFor(const Value &value) const;
    ValueEditor *makeEditor(const Choice &choice);
    void switchTo(int choice, bool transferText);
    void ensureEditor();
    void applySetLook();
    void renameAll();
    void onToggle(bool checked);
    void onChooser(int index);

    const FieldSpec *m_spec;
    Role m_role;
    QString m_path;
    QString m_hashKey;                      ///< Root: the key field comes first
    std::unique_ptr<FieldSpec> m_ownedSpec; ///< Root: the record's spec
    bool m_set = false;
    bool m_readOnly = false;
    QString m_inputToolTip;
    std::vector<Choice> m_choices;
    int m_current = 0;

    QVBoxLayout *m_layout = nullptr;
    QHBoxLayout *m_row = nullptr;
    QCheckBox *m_toggle = nullptr;
    QComboBox *m_chooser = nullptr;
    QLabel *m_notSet = nullptr;
    ValueEditor *m_editor = nullptr;
    QLabel *m_problemLabel = nullptr;
    QStringList m_blocking;
    QStringList m_notes;
};

/// Takes a widget out of its window at once (so that it is no longer found by name or reached
/// by Tab) and deletes it later (it may be in the middle of handling an event).
void discardWidget(QWidget *widget);

/// Joins a field path and a map key or attribute name as the validator writes paths.
QString joinFieldPath(const QString &path, const QString &key);
/// One line of JSON for a value, cut to `maxChars` (for diffs and summaries).
QString compactJson(const Value &value, int maxChars = 80);
