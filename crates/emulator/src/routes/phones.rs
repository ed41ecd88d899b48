//! Routes 1 to 10: phone numbers (state logic in [`crate::state`]).

use http::Method;
use serde::Deserialize;

use super::Entry;
use crate::app::Shared;
use crate::pipeline::{Ctx, endpoint};
use crate::state::{Answer, ApiError, ListQuery, State};
use crate::types::Route;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AssignBody {
    phone_number: String,
    #[serde(default = "yes")]
    verify: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PhoneBody {
    pub(crate) phone_number: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OtcBody {
    pub(crate) otc_token: String,
    pub(crate) code: String,
}

type Res = Result<Answer, ApiError>;

fn assign(app: &Shared, st: &mut State, c: &Ctx, b: AssignBody) -> Res {
    st.assign(&app.config, c.caller.user()?, &b.phone_number, b.verify)
}

fn preverify(app: &Shared, st: &mut State, c: &Ctx, b: PhoneBody) -> Res {
    st.preverify(&app.config, c.caller.user()?, &b.phone_number)
}

fn verify(app: &Shared, st: &mut State, c: &Ctx, b: OtcBody) -> Res {
    st.verify(&app.config, c.caller.user()?, &b.otc_token, &b.code)
}

fn list_mine(_: &Shared, st: &mut State, c: &Ctx, (): ()) -> Res {
    Ok(st.list_mine(c.caller.user()?))
}

fn start_delete(app: &Shared, st: &mut State, c: &Ctx, (): ()) -> Res {
    st.start_delete(&app.config, c.caller.user()?, c.param(0))
}

fn confirm_delete(app: &Shared, st: &mut State, c: &Ctx, b: OtcBody) -> Res {
    st.confirm_delete(&app.config, c.caller.user()?, c.param(0), &b.otc_token, &b.code)
}

fn list(_: &Shared, st: &mut State, c: &Ctx, (): ()) -> Res {
    Ok(st.list(&ListQuery::parse(c.query.as_deref(), true)?))
}

fn list_v1(_: &Shared, st: &mut State, c: &Ctx, (): ()) -> Res {
    Ok(st.list(&ListQuery::parse(c.query.as_deref(), false)?))
}

fn vendor_add(app: &Shared, st: &mut State, c: &Ctx, b: PhoneBody) -> Res {
    st.vendor_add(&app.config, c.param(0), &b.phone_number)
}

fn vendor_delete(_: &Shared, st: &mut State, c: &Ctx, (): ()) -> Res {
    st.vendor_delete(c.param(0), c.param(1))
}

const PHONES: &str = "/identity/resources/users/phone-numbers";

pub(crate) fn routes() -> Vec<Entry> {
    let at = |suffix: &str| format!("{PHONES}{suffix}");
    vec![
        (
            at("/v1"),
            endpoint(Route::Assign, Method::POST, assign).merge(endpoint(
                Route::ListV1,
                Method::GET,
                list_v1,
            )),
        ),
        (
            at("/v1/preverify"),
            endpoint(Route::Preverify, Method::POST, preverify),
        ),
        (at("/v1/verify"), endpoint(Route::Verify, Method::POST, verify)),
        (at("/v1/me"), endpoint(Route::ListMine, Method::GET, list_mine)),
        (
            at("/v1/{id}"),
            endpoint(Route::StartDelete, Method::DELETE, start_delete),
        ),
        (
            at("/v1/{id}/delete/verify"),
            endpoint(Route::ConfirmDelete, Method::POST, confirm_delete),
        ),
        (at("/v2"), endpoint(Route::List, Method::GET, list)),
        (
            at("/v1/vendor/{user_id}"),
            endpoint(Route::VendorAdd, Method::POST, vendor_add),
        ),
        (
            at("/v1/vendor/{user_id}/{phone_id}"),
            endpoint(Route::VendorDelete, Method::DELETE, vendor_delete),
        ),
    ]
}
