"""The users table of StructNoSQL's documentation, with every feature of a model file at once.

Read by tests/model/tst_pythonmodel.cpp; the model StructDesk reads from it is
users_table.expected.json.
"""
from decimal import Decimal
from typing import Any, Dict, List, Set

from StructNoSQL import (TableDataModel, MapModel, BaseField, ActiveSelf, DynamoDBBasicTable,
                         PrimaryIndex, GlobalSecondaryIndex)


class AuthTokenModel(MapModel):
    expirationTimestamp = BaseField(field_type=int, required=True)
    scope = BaseField(field_type=str, required=False)
    # Unstructured metadata: any keys, any values.
    tokenMetadata = BaseField(field_type=dict, required=False)


class ParameterModel(MapModel):
    value = BaseField(field_type=Any, required=False)
    children = BaseField(
        field_type=Dict[str, ActiveSelf],
        key_name='childKey{i}',
        max_nested_depth=8,
        required=False,
    )


class UsersTableModel(TableDataModel):
    userId = BaseField(field_type=str, required=True)
    username = BaseField(field_type=str, required=True)
    email = BaseField(field_type=str, required=False, custom_field_name='emailAddress')
    age = BaseField(field_type=(int, float, str), required=True)
    nextReminderTimestamp = BaseField(field_type=int, required=False)
    balance = BaseField(field_type=Decimal, required=False, custom_default_value=Decimal('0'))
    avatar = BaseField(field_type=bytes, required=False)
    active = BaseField(field_type=bool, required=False, custom_default_value=True)

    class MetadataModel(MapModel):
        accountCreationTimestamp = BaseField(field_type=int, required=True)
        lastConnectionTimestamp = BaseField(field_type=int, required=False)
    metadata = BaseField(field_type=MetadataModel, required=False)

    tokens = BaseField(field_type=Dict[str, AuthTokenModel], key_name='tokenId', required=False)
    tags = BaseField(field_type=Set[str], required=False)
    luckyNumbers = BaseField(field_type=Set[int], required=False)
    logs = BaseField(field_type=List[(str, dict)], key_name='logIndex', required=False)
    settings = BaseField(field_type=Any, required=False)
    parameters = BaseField(field_type=Dict[str, ParameterModel], key_name='parameterKey', required=False)


class UsersTable(DynamoDBBasicTable):
    def __init__(self):
        primary_index = PrimaryIndex(hash_key_name='userId', hash_key_variable_python_type=str)
        global_secondary_indexes = [
            GlobalSecondaryIndex(hash_key_name='username', hash_key_variable_python_type=str,
                                 projection_type='ALL'),
        ]
        super().__init__(
            table_name='accounts-data', region_name='eu-west-2',
            data_model=UsersTableModel(), primary_index=primary_index,
            global_secondary_indexes=global_secondary_indexes, auto_create_table=True
        )


table_client = UsersTable()
