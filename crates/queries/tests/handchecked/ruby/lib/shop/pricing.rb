module Shop # <def:Shop>
  # Sums an order's lines.
  module Pricing # <def:Pricing>
    def subtotal # <def:Pricing.subtotal>
      lines.sum { |line| line.total } # <ref:total=Line.total>
    end

    def with_tax(rate) # <def:Pricing.with_tax>
      subtotal + (subtotal * rate) # <ref:subtotal=Pricing.subtotal> <ref:subtotal#2=Pricing.subtotal>
    end
  end
end
