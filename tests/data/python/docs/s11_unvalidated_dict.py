# modeling_your_database.md, 11 - Unvalidated dictionary fields
from StructNoSQL import TableDataModel, BaseField
from typing import Dict, Any

class UsersTableModel(TableDataModel):
    userId = BaseField(field_type=str, required=True)
    primaryOrderedLogMessages = BaseField(field_type=dict, key_name='logId', required=False)
    secondaryOrderedLogMessages = BaseField(field_type=Dict[str, Any], key_name='logId', required=False)
    # Both primary and secondary orderedLogMessages fields are equivalent
