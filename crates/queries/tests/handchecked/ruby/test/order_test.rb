require "minitest/autorun"
require "shop"

class OrderTest < Minitest::Test # <def:OrderTest> <ref:Minitest=!>
  def setup # <def:OrderTest.setup>
    @order = Shop::Order.new("ada") # <def:OrderTest.@order> <ref:Shop=Shop> <ref:Order=Order> <ref:new=Order.initialize>
  end

  def test_add # <def:OrderTest.test_add>
    item = Shop::Item.new("pen", 3) # <ref:Shop=Shop> <ref:Item=Item> <ref:new=Item.initialize>
    @order.add(item, 2) # <ref:@order=OrderTest.@order> <ref:add=Order.add>
    assert_equal 6, @order.subtotal # <ref:assert_equal=!> <ref:@order=OrderTest.@order> <ref:subtotal=Pricing.subtotal>
    assert item.discounted(50) < 3 # <ref:discounted=Item.discounted>
    wrapped = Shop::Wrapped.new("box", 1) # <ref:Wrapped=Wrapped> <ref:new=Item.initialize>
    assert_equal "box", wrapped.label # <ref:label=Wrapped.label>
    refute Shop.open("bo").full? # <ref:open=Shop.open> <ref:full?=Order.full?>
  end
end
