-- GET one record by id, ids drawn at random from the seeded ones.
dofile(os.getenv("PLINTH_WRK_DIR") .. "/common.lua")

local ids = load_ids()

function request()
  return get_by_id(ids)
end
