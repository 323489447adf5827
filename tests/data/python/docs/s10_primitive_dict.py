# modeling_your_database.md, 10 - Primitive dictionary fields
from StructNoSQL import TableDataModel, BaseField
from typing import Dict

class UsersTableModel(TableDataModel):
    userId = BaseField(field_type=str, required=True)
    orderedLogMessages = BaseField(field_type=Dict[str, (str, dict)], key_name='logId', required=False)
