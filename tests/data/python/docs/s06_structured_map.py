# modeling_your_database.md, 6 - Structured maps
from StructNoSQL import TableDataModel, BaseField, MapModel

class UsersTableModel(TableDataModel):
    userId = BaseField(field_type=str, required=True)
    class MetadataModel(MapModel):
        accountCreationTimestamp = BaseField(field_type=int, required=True)
        lastConnectionTimestamp = BaseField(field_type=int, required=False)
    metadata = BaseField(field_type=MetadataModel, required=False)
