# modeling_your_database.md, 4 - Non required root fields
from StructNoSQL import TableDataModel, BaseField

class UsersTableModel(TableDataModel):
    userId = BaseField(field_type=str, required=True)
    nextReminderTimestamp = BaseField(field_type=int, required=False)
