require_relative "order/line"

module Shop # <def:Shop>
  # A customer's order.
  class Order # <def:Order>
    include Pricing # <ref:Pricing=Pricing>

    attr_reader :lines, :customer # <def:Order.lines> <def:Order.customer>

    def initialize(customer) # <def:Order.initialize>
      @customer = customer # <def:Order.@customer>
      @lines = [] # <def:Order.@lines>
    end

    def add(item, quantity = 1) # <def:Order.add>
      raise ArgumentError, "full" if full? # <ref:ArgumentError=!> <ref:full?=Order.full?>
      line = Line.new(item, quantity) # <ref:Line=Line> <ref:new=Line.initialize>
      @lines << line # <ref:@lines=Order.@lines>
      line.total # <ref:total=Line.total>
    end

    def full? # <def:Order.full?>
      @lines.size >= Config::MAX_LINES # <ref:@lines=Order.@lines> <ref:Config=Config> <ref:MAX_LINES=Config.MAX_LINES>
    end

    def summary # <def:Order.summary>
      total = with_tax(0.2) # <ref:with_tax=Pricing.with_tax>
      "#{customer}: #{total} #{Config::CURRENCY}" # <ref:customer=Order.customer> <ref:Config=Config> <ref:CURRENCY=Config.CURRENCY>
    end

    def to_h # <def:Order.to_h>
      { customer: customer, lines: lines.map(&:to_h) } # <ref:customer#2=Order.customer> <ref:lines#2=Order.lines>
    end
  end
end
