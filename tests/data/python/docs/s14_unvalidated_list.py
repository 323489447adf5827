# modeling_your_database.md, 14 - Unvalidated list fields
from StructNoSQL import TableDataModel, BaseField
from typing import List, Any

class UsersTableModel(TableDataModel):
    userId = BaseField(field_type=str, required=True)
    primaryOrderedLogMessages = BaseField(field_type=list, key_name='logIndex', required=False)
    secondaryOrderedLogMessages = BaseField(field_type=List[Any], key_name='logIndex', required=False)
    # Both primary and secondary orderedLogMessages fields are equivalent
