//! The order in which next hops take turns: each round a next hop earns its weight in credit and
//! takes a turn when it holds `max_weight` (engine/ecmp/policies/maglev.ts explains the weighting).

pub(super) struct Turns<'a> {
    weights: &'a [u32],
    credit: Vec<u64>,
    max_weight: u64,
    next: usize,
}

impl<'a> Turns<'a> {
    pub(super) fn new(weights: &'a [u32]) -> Self {
        Self {
            weights,
            credit: vec![0; weights.len()],
            max_weight: u64::from(weights.iter().copied().max().unwrap_or(1)),
            next: 0,
        }
    }

    /// The next hop whose turn it is.
    #[inline(always)]
    pub(super) fn take(&mut self) -> usize {
        loop {
            let hop = self.next;
            self.next = if hop + 1 == self.weights.len() {
                0
            } else {
                hop + 1
            };
            let credit = self.credit[hop] + u64::from(self.weights[hop]);
            if credit >= self.max_weight {
                self.credit[hop] = credit - self.max_weight;
                return hop;
            }
            self.credit[hop] = credit;
        }
    }
}
