# modeling_your_database.md, 9 - Nested structured dictionary fields
from StructNoSQL import TableDataModel, BaseField, MapModel
from typing import Dict

class UsersTableModel(TableDataModel):
    userId = BaseField(field_type=str, required=True)
    class AuthTokenModel(MapModel):
        expirationTimestamp = BaseField(field_type=int, required=True)
        class PermissionMetadataModel(MapModel):
            permissionGrantedBy = BaseField(field_type=str, required=True)
            permissionExpirationTimestamp = BaseField(field_type=int, required=False)
        tokenPermissions = BaseField(field_type=Dict[str, PermissionMetadataModel], key_name='permissionKey', required=False)
    tokens = BaseField(field_type=Dict[str, AuthTokenModel], key_name='tokenId', required=False)
