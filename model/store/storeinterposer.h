#pragma once

#include "model/store/recordstore.h"

#include <functional>

/// Routes the store a StoreRunner hands to a job through a wrapper before the job uses it (a
/// store that counts or fails calls, in tests). Called on the store's thread, once per job.
using StoreInterposer = std::function<RecordStore &(RecordStore &)>;

/// The store a job should use: the interposer's wrapper, or the store itself.
inline RecordStore &interposed(const StoreInterposer &interposer, RecordStore &store)
{
    return interposer ? interposer(store) : store;
}
