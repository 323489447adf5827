# A model and StructNoSQL's playground table clients (tests/components/playground_table_clients.py):
# the PrimaryIndex and the GlobalSecondaryIndexes live in the clients, and the model reaches them
# through a variable.
from typing import Optional, Any, Dict, List
from StructNoSQL import (TableDataModel, MapModel, BaseField, DynamoDBBasicTable, PrimaryIndex,
                         GlobalSecondaryIndex, DynamoDBCachingTable)


class PlaygroundTableModel(TableDataModel):
    accountId = BaseField(field_type=str, required=True)
    username = BaseField(field_type=str, required=False)
    email = BaseField(field_type=str, required=False)
    type = BaseField(field_type=str, required=False)
    class ContainerItemModel(MapModel):
        name = BaseField(field_type=str, required=True)
        metadata = BaseField(field_type=Dict[str, Dict[str, int]], key_name='metaItemId', required=False)
    container = BaseField(field_type=Dict[str, ContainerItemModel], key_name='itemId', required=False)
    history = BaseField(field_type=List[int], required=False)


class PlaygroundDynamoDBBasicTable(DynamoDBBasicTable):
    def __init__(self, data_model: Optional[Any] = None):
        primary_index = PrimaryIndex(hash_key_name='accountId', hash_key_variable_python_type=str)
        globals_secondary_indexes = [
            GlobalSecondaryIndex(hash_key_name='username', hash_key_variable_python_type=str, projection_type='ALL'),
            GlobalSecondaryIndex(hash_key_name='email', hash_key_variable_python_type=str, projection_type='ALL'),
        ]
        super().__init__(
            table_name="structnosql-playground", region_name="eu-west-2", data_model=data_model,
            primary_index=primary_index, global_secondary_indexes=globals_secondary_indexes, auto_create_table=True
        )

class PlaygroundDynamoDBCachingTable(DynamoDBCachingTable):
    def __init__(self, data_model):
        primary_index = PrimaryIndex(hash_key_name="accountId", hash_key_variable_python_type=str)
        globals_secondary_indexes = [
            GlobalSecondaryIndex(hash_key_name="username", hash_key_variable_python_type=str, projection_type="ALL"),
            GlobalSecondaryIndex(hash_key_name="email", hash_key_variable_python_type=str, projection_type="ALL"),
        ]
        super().__init__(
            table_name="structnosql-playground", region_name="eu-west-2", data_model=data_model,
            primary_index=primary_index, global_secondary_indexes=globals_secondary_indexes,
            auto_create_table=True
        )

"""
# todo: implement InoftVocalEngineBasicTable
class PlaygroundInoftVocalEngineBasicTable(InoftVocalEngineBasicTable):
    def __init__(self, data_model):
        super().__init__(table_id="structnosql-playground", region_name="eu-west-2", data_model=data_model)
"""

client = PlaygroundDynamoDBBasicTable(data_model=PlaygroundTableModel)
