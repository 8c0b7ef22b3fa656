// Taking consent back. A withdrawal is a record (event "withdrawn") that states what remains
// after it: the policy still agreed with one linkage taken back, or nothing at all. It needs no
// legal representative, so it must never be able to add anything: the server checks every
// withdrawal against the record it follows (check_withdrawal), and the privacy center builds
// one only from the inputs given here, so no front end works out what remains.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "doui/consent.hpp"
#include "doui/result.hpp"

namespace doui {

/// The inputs of the withdrawal that follows `record` (a consent record, as stored): taking back
/// `linkage` (a linkage id), or everything when `linkage` is empty. The subject, birth date and
/// locale are the record's; previous_record is its id; event "withdrawn"; no representative (the
/// person withdraws alone; a front end may add one). surface and agent are left for the front
/// end to name. Errors: the record's own (json.*, record.*: it must read as a record of this
/// schema), linkage.unknown (at /choices) for an id the record has no choice for, and
/// withdrawal.nothing (at /event) when the linkage is not chosen in it or nothing remains to
/// take back.
Result<ConsentInputs> withdrawal_inputs(std::string_view record, std::string_view linkage);

/// Whether `record` only takes back from `previous`, the record it follows. Nothing to say (an
/// empty list) unless `record` is a withdrawal; for one: withdrawal.adds at /policy_agreed or
/// /choices/<i> for each agreement or linkage it holds that `previous` does not, and
/// withdrawal.nothing at /event when it holds all that `previous` holds. Both must read as
/// records (their json.* and record.* errors otherwise, `previous`'s at /previous_record).
std::vector<Error> check_withdrawal(std::string_view previous, std::string_view record);

}  // namespace doui
