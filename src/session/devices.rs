//! This browser as a device of the user (a pool with device tracking): the keys the service hands out at
//! the end of a sign-in (`NewDeviceMetadata`) are confirmed with a random device password's SRP verifier
//! (ConfirmDevice) and kept in the reference client's keys (`.deviceKey`, `.deviceGroupKey`,
//! `.randomPasswordKey`, which a sign-out keeps), so either client signs in on the device; later sign-ins
//! and refreshes name the device, and when the service asks the device to prove itself (DEVICE_SRP_AUTH,
//! DEVICE_PASSWORD_VERIFIER) this module answers with `cognito_core::device`, asking nobody anything.

use cognito_core::api::{
    ConfirmDevice, ConfirmDeviceRequest, DeviceRequest, DeviceSecretVerifierConfig, ForgetDevice, ListDevices,
    ListDevicesRequest, NewDeviceMetadata, UpdateDeviceStatus, UpdateDeviceStatusRequest,
};
use cognito_core::device::{self, DeviceIds, DeviceInfo};
use cognito_core::i18n::{k, Text};
use cognito_core::srp::ClientEphemeral;
use cognito_core::timestamp::cognito_timestamp;
use zeroize::Zeroizing;

use crate::api;
use crate::browser::{now_seconds, storage_get, storage_remove, storage_set};
use crate::problem::Problem;
use crate::session::account::Account;
#[cfg(doc)]
use crate::session::handoff::Handoff;
use crate::session::{Challenge, Prompt, Reply, SessionOwner};

impl SessionOwner {
    /// The device key kept for `user_id` on this browser, if any.
    pub(super) fn stored_device_key(&self, user_id: &str) -> Option<String> {
        storage_get(&self.keys().user(user_id).device_key).filter(|k| !k.is_empty())
    }

    /// The signed-in user's device key on this browser, if it is one of their devices.
    pub(super) fn this_device_key(&self) -> Option<String> {
        self.user().and_then(|u| self.stored_device_key(&u.user_id))
    }

    /// The device's ids and password, when all three are kept.
    fn stored_device(&self, user_id: &str) -> Option<(DeviceIds, Zeroizing<String>)> {
        let keys = self.keys().user(user_id);
        let device_key = self.stored_device_key(user_id)?;
        let device_group_key = storage_get(&keys.device_group_key).filter(|k| !k.is_empty())?;
        let password = Zeroizing::new(storage_get(&keys.random_password_key).filter(|k| !k.is_empty())?);
        Some((DeviceIds { device_key, device_group_key }, password))
    }

    /// Forgets this browser as a device of `user_id` (the service no longer knows it).
    pub(super) fn forget_stored_device(&self, user_id: &str) {
        let keys = self.keys().user(user_id);
        for key in [keys.device_key, keys.device_group_key, keys.random_password_key] {
            storage_remove(&key);
        }
    }

    /// A sign-in handed out a new device: its keys are kept at once (the tokens refresh only with the
    /// device key), then its verifier is sent with ConfirmDevice and the password kept; when the pool wants
    /// the user asked before remembering it, the profile asks ([`Handoff::take_device_question`]). A failure leaves the device unconfirmed: the
    /// sign-in still stands, and the next one on this browser hands out a device again.
    pub(super) async fn confirm_new_device(
        &self,
        user_id: &str,
        metadata: &NewDeviceMetadata,
        access_token: &str,
    ) -> Option<()> {
        let ids = DeviceIds {
            device_key: metadata.device_key.clone().filter(|k| !k.is_empty())?,
            device_group_key: metadata.device_group_key.clone().filter(|k| !k.is_empty())?,
        };
        let keys = self.keys().user(user_id);
        storage_set(&keys.device_key, &ids.device_key).ok()?;
        storage_set(&keys.device_group_key, &ids.device_group_key).ok()?;
        storage_remove(&keys.random_password_key);
        let secret = device::new_secret(&ids).ok()?;
        let name = web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
        let request = ConfirmDeviceRequest {
            access_token: access_token.to_string(),
            device_key: ids.device_key.clone(),
            device_name: Some(name),
            device_secret_verifier_config: Some(DeviceSecretVerifierConfig {
                password_verifier: secret.config.password_verifier.clone(),
                salt: secret.config.salt.clone(),
            }),
        };
        let answer = api::send::<ConfirmDevice>(self.config(), &request).await.ok()?;
        storage_set(&keys.random_password_key, &secret.random_password).ok()?;
        // The pool remembers a device only when the user says so: the profile asks.
        self.handoff.ask_device_question(answer.user_confirmation_necessary);
        Some(())
    }

    /// The device's answer when the service asks this browser to prove it is a remembered device
    /// (DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER with the same ephemeral), or `None` for a challenge
    /// that is the user's to answer.
    pub(super) fn device_reply(
        &self,
        challenge: &Challenge,
        ephemeral: &mut Option<ClientEphemeral>,
    ) -> Result<Option<Reply<'static>>, Problem> {
        if !matches!(challenge.prompt, Prompt::DeviceSrpAuth | Prompt::DevicePasswordVerifier { .. }) {
            return Ok(None);
        }
        let user_id = challenge.user_id();
        // The service knows a device this browser no longer has the password of.
        let Some((ids, password)) = self.stored_device(user_id) else {
            return Err(Problem::refused(k::login::unsupported_step));
        };
        let responses = match (&challenge.prompt, ephemeral.as_ref()) {
            (Prompt::DevicePasswordVerifier { parameters }, Some(ephemeral)) => device::password_verifier_responses(
                user_id,
                &ids,
                &password,
                ephemeral,
                parameters,
                &cognito_timestamp(now_seconds()),
            )
            .map_err(|e| Problem::refused(Text::new(k::login::failed).with("detail", e.to_string())))?,
            (Prompt::DevicePasswordVerifier { .. }, None) => return Err(Problem::refused(k::login::unsupported_step)),
            _ => {
                let fresh = ClientEphemeral::generate()
                    .map_err(|e| Problem::refused(Text::new(k::login::cannot_start).with("detail", e.to_string())))?;
                device::srp_auth_responses(user_id, &ids, ephemeral.insert(fresh))
            }
        };
        Ok(Some(Reply::Device(responses)))
    }
}

impl Account {
    /// Whether this browser is a device of the signed-in user (a pool that tracks devices).
    pub fn is_a_device(&self) -> bool {
        self.0.this_device_key().is_some()
    }

    /// This browser as a device of the signed-in user, remembered or not (UpdateDeviceStatus).
    pub async fn remember_this_device(&self, remembered: bool) -> Result<(), Problem> {
        let Some(device_key) = self.0.this_device_key() else {
            return Err(Problem::refused(k::device::gone));
        };
        self.0
            .authorized::<UpdateDeviceStatus>(|access_token| UpdateDeviceStatusRequest {
                access_token,
                device_key: Some(device_key.clone()),
                device_remembered_status: Some(device::remembered_status(remembered).to_string()),
            })
            .await?;
        Ok(())
    }

    /// The signed-in user's devices (ListDevices, up to 60: the service's most per page), and which one is
    /// this browser.
    pub async fn devices(&self) -> Result<(Vec<DeviceInfo>, Option<String>), Problem> {
        let answer = self
            .0
            .authorized::<ListDevices>(|access_token| ListDevicesRequest {
                access_token,
                limit: Some(60),
                pagination_token: None,
            })
            .await?;
        Ok((answer.devices.into_iter().map(DeviceInfo::of).collect(), self.0.this_device_key()))
    }

    /// Forgets a device of the signed-in user (ForgetDevice): the next sign-in there asks for the second
    /// factor again. This browser's own keys go too when it is this one.
    pub async fn forget_device(&self, device_key: String) -> Result<(), Problem> {
        self.0
            .authorized::<ForgetDevice>(|access_token| DeviceRequest {
                access_token,
                device_key: Some(device_key.clone()),
            })
            .await?;
        if let Some(user) = self.0.user() {
            if self.0.stored_device_key(&user.user_id).as_deref() == Some(device_key.as_str()) {
                self.0.forget_stored_device(&user.user_id);
            }
        }
        Ok(())
    }
}
