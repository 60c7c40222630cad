module Shop # <def:Shop>
  class Order # <def:Order>
    # One item of an order, some number of times.
    class Line # <def:Line>
      attr_reader :item, :quantity # <def:Line.item> <def:Line.quantity>

      def initialize(item, quantity) # <def:Line.initialize>
        @item = item # <def:Line.@item>
        @quantity = quantity # <def:Line.@quantity>
      end

      def total # <def:Line.total>
        @item.price * @quantity # <ref:@item=Line.@item> <ref:@quantity=Line.@quantity>
      end
    end
  end
end
