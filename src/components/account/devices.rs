use cognito_core::device::DeviceInfo;
use cognito_core::i18n::{k, Text};
use leptos::prelude::*;

use crate::components::account::section::AccountSection;
use crate::components::confirm::ConfirmAction;
use crate::components::form::ActionButton;
use crate::form::FormAction;
use crate::i18n::{local_time, render, tr};
use crate::session::use_session;
use crate::tasks::PageTasks;

/// The user's devices (a pool with device tracking, on a browser that is one of them; nothing is shown
/// elsewhere): each with
/// its name, last sign-in and whether it is remembered, "This browser" marked, and "Forget" after
/// confirming (ForgetDevice: signing in there asks for the second factor again). Once after a sign-in in
/// a pool that remembers devices only when the user says so, the question "Remember this browser?"
/// (UpdateDeviceStatus).
#[component]
pub fn DevicesSection() -> impl IntoView {
    let session = use_session();
    let action = FormAction::new();
    let list = RwSignal::new(None::<(Vec<DeviceInfo>, Option<String>)>);
    let asking = RwSignal::new(session.handoff().take_device_question());
    let tasks = PageTasks::new();
    // Listed on a browser that is one of them: a pool that does not track devices costs no call.
    if session.account().is_a_device() || asking.get_untracked() {
        tasks.spawn(async move {
            match session.account().devices().await {
                Ok(found) => list.set(Some(found)),
                Err(problem) => action.fail(problem),
            }
        });
    }
    let answer = move |remembered: bool| {
        action.run(k::device::saving, || {
            Some(async move {
                session.account().remember_this_device(remembered).await?;
                asking.set(false);
                if remembered {
                    action.succeed(Text::new(k::device::remembered));
                }
                list.set(Some(session.account().devices().await?));
                Ok(())
            })
        })
    };
    let forget = move |key: String| {
        action.run(k::device::forgetting, || {
            Some(async move {
                session.account().forget_device(key).await?;
                action.succeed(Text::new(k::device::forgotten));
                list.set(Some(session.account().devices().await?));
                Ok(())
            })
        })
    };
    let visible = move || {
        asking.get() || action.error().get().is_some() || list.with(|l| l.as_ref().is_some_and(|(d, _)| !d.is_empty()))
    };
    view! {
        <Show when=visible>
            <AccountSection id="devices" title=k::device::title action testid="devices">
                <Show when=move || asking.get()>
                    <aside class="offer" aria-labelledby="device-question-title" data-testid="device-question">
                        <h3 id="device-question-title">{tr(k::device::remember_title)}</h3>
                        <p>{tr(k::device::remember_text)}</p>
                        <ActionButton action label=k::device::remember on_click=move || answer(true) />
                        <ActionButton
                            action
                            label=k::device::not_now
                            class="secondary"
                            on_click=move || answer(false)
                        />
                    </aside>
                </Show>
                {move || {
                    list.get()
                        .map(|(devices, this_one)| {
                            view! {
                                <ul class="passkeys" data-testid="device-list">
                                    {devices
                                        .into_iter()
                                        .map(|device| {
                                            let here = this_one.as_deref() == Some(device.key.as_str());
                                            device_row(device, here, action, forget)
                                        })
                                        .collect_view()}
                                </ul>
                            }
                        })
                }}
            </AccountSection>
        </Show>
    }
}

/// One device: its name, whether it is this browser and remembered, its last sign-in, and "Forget".
fn device_row(
    device: DeviceInfo,
    here: bool,
    action: FormAction,
    forget: impl Fn(String) + Copy + 'static,
) -> impl IntoView {
    let DeviceInfo { key, name, remembered, last_used } = device;
    let used = last_used.map(|t| {
        let said = Text::new(k::device::last_used).with("date", local_time(t));
        move || render(&said)
    });
    view! {
        <li data-remembered=remembered.then_some("true")>
            <strong data-testid="device-name">
                {move || name.clone().unwrap_or_else(|| render(&Text::new(k::device::unnamed)))}
            </strong>
            {here
                .then(|| {
                    view! {
                        " "
                        <em>{tr(k::device::this_one)}</em>
                    }
                })}
            " "
            <span>{tr(if remembered { k::device::is_remembered } else { k::device::not_remembered })}</span>
            " "
            {used}
            <ConfirmAction
                label=k::device::forget
                question=k::device::confirm_forget
                action
                confirmed=move || forget(key.clone())
            />
        </li>
    }
}
