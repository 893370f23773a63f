// The JSON bodies of the HTTP API (api.hpp).
#include "shared/protocol/api.hpp"

#include "shared/protocol/json_reader.hpp"
#include "shared/protocol/json_writer.hpp"

namespace cylch::protocol {

using detail::object_reader;
using detail::ojson;
using detail::opt_text;
using detail::read_error;
using detail::read_id;
using detail::to_json;
using detail::to_text;

std::string encode_api_error(error_code code, std::string const& message) {
    return to_text(ojson{{"error", {{"code", to_string(code)}, {"message", message}}}});
}

std::variant<kiosk_request, workshop_file_error> parse_kiosk_request(std::string_view body,
                                                                     bool name_required) {
    if (body.size() > 4096 || detail::nesting_exceeds(body, 4)) {
        return workshop_file_error{"$", "expected a small JSON object"};
    }
    try {
        auto j = detail::parse_json(body);
        object_reader r(j, "$");
        r.only_keys({"name", "workshop"});
        kiosk_request k;
        k.name =
            name_required ? std::optional(r.string("name", 1, 100)) : r.opt_string("name", 1, 100);
        k.workshop = read_id(r, "workshop");
        r.finish();
        return k;
    } catch (read_error const& e) {
        return workshop_file_error{e.path, e.message};
    } catch (nlohmann::json::exception const&) {
        return workshop_file_error{"$", "the request could not be read"};
    }
}

std::string encode_kiosk_created(std::string const& id, std::string const& token,
                                 std::string const& workshop) {
    return to_text(ojson{{"id", id}, {"token", token}, {"workshop", workshop}});
}

std::string encode_kiosk(std::string const& id, std::string const& name,
                         std::string const& workshop) {
    return to_text(ojson{{"id", id}, {"name", name}, {"workshop", workshop}});
}

std::string encode_health() {
    return to_text(ojson{{"status", "ok"}});
}

std::string encode_created(std::string const& id, std::string const& code,
                           std::string const& facilitator_token,
                           std::string const& presenter_token) {
    return to_text(ojson{{"id", id},
                         {"code", code},
                         {"facilitator_token", facilitator_token},
                         {"presenter_token", presenter_token}});
}

std::string encode_image_created(std::string const& id) {
    return to_text(ojson{{"id", id}});
}

std::string encode_workshop_detail(workshop_view const& w, std::vector<activity_view> const& agenda,
                                   std::optional<std::string> const& current) {
    ojson list = ojson::array();
    for (auto const& a : agenda) {
        list.push_back(to_json(a));
    }
    return to_text(ojson{{"workshop", to_json(w)},
                         {"agenda", std::move(list)},
                         {"current", current ? ojson(*current) : ojson(nullptr)}});
}

std::string encode_results(workshop_view const& w, std::vector<activity_result> const& results) {
    struct result_json {
        ojson& j;
        void operator()(summary const& s) const { j["summary"] = detail::summary_json(s); }
        void operator()(board_result const& b) const {
            ojson notes = ojson::array();
            for (auto const& n : b.notes) {
                ojson nj = to_json(n.note);
                nj.erase("mine");
                nj.erase("my_dots");
                nj["respondent"] = n.respondent;
                nj["group"] = opt_text(n.group);
                nj["created_at"] = n.created_at;
                notes.push_back(std::move(nj));
            }
            j["board"] = ojson{{"notes", std::move(notes)}, {"clusters", to_json(b.clusters)}};
        }
    };
    ojson list = ojson::array();
    for (auto const& r : results) {
        ojson item{{"activity", to_json(r.activity)}};
        std::visit(result_json{item}, r.result);
        list.push_back(std::move(item));
    }
    return to_text(ojson{{"workshop", to_json(w)}, {"activities", std::move(list)}});
}

} // namespace cylch::protocol
