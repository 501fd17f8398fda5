//! Host timings of the two exponentiations at SRP sizes, next to num-bigint's general `modpow`:
//! `cargo run --release -p modp3072 --example modp_bench`.

use std::time::Instant;

use num_bigint::BigUint;

fn median_ms(mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..15)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let exponent = [0xa5u8; 128];
    let base = [0x5au8; modp3072::BYTES];
    let n = BigUint::from_bytes_be(&modp3072::N_BE);
    let (big_base, big_exponent) = (BigUint::from_bytes_be(&base), BigUint::from_bytes_be(&exponent));
    let two = BigUint::from(2u32);
    println!("1024-bit exponent, median of 15 (ms)");
    println!(
        "pow2_mod          {:8.2}",
        median_ms(|| {
            std::hint::black_box(modp3072::pow2_mod(&exponent));
        })
    );
    println!(
        "pow_mod           {:8.2}",
        median_ms(|| {
            std::hint::black_box(modp3072::pow_mod(&base, &exponent));
        })
    );
    println!(
        "num-bigint 2^e    {:8.2}",
        median_ms(|| {
            std::hint::black_box(two.modpow(&big_exponent, &n));
        })
    );
    println!(
        "num-bigint b^e    {:8.2}",
        median_ms(|| {
            std::hint::black_box(big_base.modpow(&big_exponent, &n));
        })
    );
}
