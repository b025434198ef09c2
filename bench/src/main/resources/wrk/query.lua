-- Filtered query on an indexed field, ordered, 20 records a page.
dofile(os.getenv("PLINTH_WRK_DIR") .. "/common.lua")

function request()
  return wrk.format("GET",
    records_path .. "?price=gt." .. math.random(0, 50) .. "&order=price.asc&limit=20")
end
