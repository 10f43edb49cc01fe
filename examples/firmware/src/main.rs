//! msync-rs on a microcontroller: a Nucleo-F429ZI (Cortex-M4F, 2 MiB flash, 256 KiB RAM) on
//! Ethernet, with the whole client: the core session, the async driver, the embassy adapter
//! and TLS 1.3 with certificate verification.
//!
//! The device logs in with a provisioned token, tells `PEER` it is online, sends an `alarm`
//! custom event when the user button is pressed, takes `led` commands (parameter `on`) for the
//! user LED, answers `ping` with `pong`, and reports every five minutes.
//! Build-time settings (environment variables): `MSYNC_APP_KEY`, `MSYNC_USER`, `MSYNC_TOKEN`,
//! `MSYNC_PEER`; the trust anchor of the cloud's certificate chain is `trust-anchor.der`.
//!
//! Feature `baseline` builds the same board and network stack without the client, so that the
//! difference in size is what the client costs.
#![no_std]
#![no_main]

#[cfg(not(feature = "baseline"))]
mod client;
mod rng;

use core::cell::RefCell;
use core::fmt::Write as _;

use embassy_executor::Spawner;
use embassy_net::StackResources;
use embassy_stm32::eth::{self, Ethernet, GenericPhy, PacketQueue, Sma};
use embassy_stm32::exti::{self, ExtiInput};
use embassy_stm32::gpio::{Level, Output, Pull, Speed};
use embassy_stm32::interrupt::typelevel::EXTI15_10;
use embassy_stm32::peripherals::{ETH, ETH_SMA, RNG};
use embassy_stm32::time::Hertz;
use embassy_stm32::{bind_interrupts, rcc};
use heapless::String;
use static_cell::StaticCell;

use rng::{SharedPeripheral, SharedRng};

type Nic = Ethernet<'static, ETH, GenericPhy<Sma<'static, ETH_SMA>>>;

bind_interrupts!(struct Irqs {
    ETH => eth::InterruptHandler;
    HASH_RNG => embassy_stm32::rng::InterruptHandler<RNG>;
    EXTI15_10 => exti::InterruptHandler<EXTI15_10>;
});

#[embassy_executor::task]
async fn net_task(mut runner: embassy_net::Runner<'static, Nic>) -> ! {
    runner.run().await
}

#[embassy_executor::main]
async fn main(spawner: Spawner) {
    let p = embassy_stm32::init(clocks());

    static RNG_CELL: StaticCell<SharedPeripheral> = StaticCell::new();
    let rng = SharedRng(
        RNG_CELL.init(embassy_sync::blocking_mutex::Mutex::new(RefCell::new(
            embassy_stm32::rng::Rng::new(p.RNG, Irqs),
        ))),
    );
    let seed = rand_core::RngCore::next_u64(&mut { rng });

    // The MAC address and the device uuid come from the chip's unique id.
    let uid = embassy_stm32::uid::uid();
    let mac = [0x02, 0x6d, uid[0], uid[1], uid[2], uid[3]];
    static UUID: StaticCell<String<24>> = StaticCell::new();
    let uuid = UUID.init(String::new());
    for byte in &uid[..8] {
        let _ = write!(uuid, "{byte:02x}");
    }

    static PACKETS: StaticCell<PacketQueue<4, 4>> = StaticCell::new();
    let nic = Ethernet::new(
        PACKETS.init(PacketQueue::new()),
        p.ETH,
        Irqs,
        p.PA1,
        p.PA7,
        p.PC4,
        p.PC5,
        p.PG13,
        p.PB13,
        p.PG11,
        mac,
        p.ETH_SMA,
        p.PA2,
        p.PC1,
    );
    static RESOURCES: StaticCell<StackResources<4>> = StaticCell::new();
    let (stack, net_runner) = embassy_net::new(
        nic,
        embassy_net::Config::dhcpv4(Default::default()),
        RESOURCES.init(StackResources::new()),
        seed,
    );
    let Ok(net) = net_task(net_runner) else {
        panic!("the network task is already running");
    };
    spawner.spawn(net);

    let led = Output::new(p.PB0, Level::Low, Speed::Low);
    // The blue user button (B1), high while pressed.
    let button = ExtiInput::new(p.PC13, p.EXTI13, Pull::Down, Irqs);
    #[cfg(not(feature = "baseline"))]
    client::start(spawner, stack, rng, uuid, led, button);
    #[cfg(feature = "baseline")]
    {
        // The same board, network and RNG with nothing on top.
        let _ = (stack, uuid, led, button);
        stack.wait_config_up().await;
    }
}

/// 168 MHz from the ST-LINK's 8 MHz clock; 48 MHz for the RNG.
fn clocks() -> embassy_stm32::Config {
    let mut config = embassy_stm32::Config::default();
    config.rcc.hse = Some(rcc::Hse {
        freq: Hertz(8_000_000),
        mode: rcc::HseMode::Bypass,
    });
    config.rcc.pll_src = rcc::PllSource::HSE;
    config.rcc.pll = Some(rcc::Pll {
        prediv: rcc::PllPreDiv::DIV4,
        mul: rcc::PllMul::MUL168,
        divp: Some(rcc::PllPDiv::DIV2),
        divq: Some(rcc::PllQDiv::DIV7),
        divr: None,
    });
    config.rcc.ahb_pre = rcc::AHBPrescaler::DIV1;
    config.rcc.apb1_pre = rcc::APBPrescaler::DIV4;
    config.rcc.apb2_pre = rcc::APBPrescaler::DIV2;
    config.rcc.sys = rcc::Sysclk::PLL1_P;
    config
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    cortex_m::peripheral::SCB::sys_reset()
}
